// Polyvisor's saved searches written as XenCenter writes its own (.xensearch:
// SearchMarshalling.SearchesToXML, 4-space indented, every filter as QueryTypes.cs
// marshals it). A search with a term XenCenter's filters cannot say (server:, vcpus,
// a wildcard inside a value, a state XenServer does not have) is left out and named.

import { randomUUID } from 'node:crypto';
import type { SavedSearch, XenSearchExport } from '../../../shared/labels';
import { parseQuery, type Query } from '../../../shared/search';
import { ALL_EXC_FOLDERS, POWER_STATES, SIZE_PROPERTIES, TEXT_PROPERTIES, typesOfKind, XENSEARCH_DOCTYPE, XENSEARCH_MAJOR, XENSEARCH_MINOR, XENSEARCH_XMLNS } from './xensearch-names';
import net from 'node:net';

class Unsayable {
  constructor(readonly what: string) {}
}

/** One XML element: its name, attributes in XenCenter's order, children. */
interface Node {
  name: string;
  attrs: Array<[string, string]>;
  children: Node[];
}

const el = (name: string, attrs: Array<[string, string]> = [], children: Node[] = []): Node => ({ name, attrs, children });
const flag = (v: boolean) => (v ? 'yes' : 'no');
const invert = <K extends string, V extends string>(o: Record<K, V>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [v, k])) as Record<V, K>;
const PROPERTY_OF_TEXT = invert(TEXT_PROPERTIES);
const PROPERTY_OF_SIZE = invert(SIZE_PROPERTIES);
const POWER_STATE_OF = invert(POWER_STATES);

export function writeXenSearch(searches: readonly SavedSearch[]): XenSearchExport {
  const left: XenSearchExport['left'] = [];
  const nodes: Node[] = [];
  for (const search of searches) {
    const parsed = parseQuery(search.query);
    if (!parsed.ok) {
      left.push({ search: search.name, what: parsed.error.message });
      continue;
    }
    try {
      const filter = parsed.query === null ? [] : [filterOf(parsed.query)];
      const query = el('Query', [], [el('QueryScope', [], ALL_EXC_FOLDERS.map((t) => el(t))), ...filter]);
      nodes.push(el('Search', [['uuid', randomUUID()], ['name', search.name], ['major_version', String(XENSEARCH_MAJOR)], ['minor_version', String(XENSEARCH_MINOR)]], [query, el('sorting')]));
    } catch (e) {
      if (!(e instanceof Unsayable)) throw e;
      left.push({ search: search.name, what: e.what });
    }
  }
  const root = el('Searches', [['xmlns', XENSEARCH_XMLNS]], nodes);
  return { content: `<?xml version="1.0" encoding="utf-8"?>\n${XENSEARCH_DOCTYPE}\n${render(root, 0)}\n`, left };
}

function filterOf(q: Query): Node {
  switch (q.kind) {
    case 'and':
    case 'or':
      return el('GroupQuery', [['type', q.kind === 'and' ? 'And' : 'Or']], q.items.map(filterOf));
    case 'not':
      return el('GroupQuery', [['type', 'Nor']], [filterOf(q.item)]);
    case 'compare': {
      const property = PROPERTY_OF_SIZE[q.field as 'memory' | 'disk'];
      if (!property) throw new Unsayable(`${q.field}${q.op}${q.value}`);
      // whole bytes: >= n is > n-1 and <= n is < n+1
      const [type, value] = { '>': ['gt', q.value], '>=': ['gt', q.value - 1], '<': ['lt', q.value], '<=': ['lt', q.value + 1], '=': ['exactmatch', q.value] }[q.op] as [string, number];
      return el('IntPropertyQuery', [['property', property], ['query', String(value)], ['type', type]]);
    }
    case 'text':
      return textFilter(q.field ?? 'name', q.value, q.exact);
  }
}

function textFilter(field: string, value: string, exact: boolean): Node {
  const term = `${field}${exact ? '=' : ':'}${value}`;
  switch (field) {
    case 'type': {
      const types = typesOfKind(value.toLowerCase());
      if (!types.length) throw new Unsayable(term);
      const one = (t: string) => el('EnumPropertyQuery', [['property', 'type'], ['equals', 'yes'], ['query', t]]);
      return types.length === 1 ? one(types[0]!) : el('GroupQuery', [['type', 'Or']], types.map(one));
    }
    case 'state': {
      const state = POWER_STATE_OF[value.toLowerCase()];
      if (!state) throw new Unsayable(term);
      return el('EnumPropertyQuery', [['property', 'power_state'], ['equals', 'yes'], ['query', state]]);
    }
    case 'tag':
      if (value === '*') return el('ListEmptyQuery', [['property', 'tags'], ['empty', 'no']]);
      if (/[*?]/.test(value)) throw new Unsayable(term);
      return el('StringListContainsQuery', [['property', 'tags'], ['contains', 'yes'], ['query', value]]);
    case 'folder':
      if (value === '*') return el('NullQuery', [['property', 'folder'], ['query', 'no']]);
      if (!exact || /[*?]/.test(value)) throw new Unsayable(term);
      return el('RecursiveXMOPropertyQuery', [['property', 'folder']], [stringQuery('uuid', value, 'exactmatch', true)]);
    case 'ip':
      if (!net.isIP(value)) throw new Unsayable(term);
      return el('IPAddressQuery', [['property', 'ip_address'], ['contains', 'yes'], ['address', value]]);
    case 'pool':
      return el('RecursiveXMOPropertyQuery', [['property', 'pool']], [stringMatch('label', value, exact, term)]);
    case 'host':
      return el('RecursiveXMOListPropertyQuery', [['property', 'host']], [stringMatch('label', value, exact, term)]);
  }
  const property = PROPERTY_OF_TEXT[field as 'name'];
  if (!property) throw new Unsayable(term);
  return stringMatch(property, value, exact || field === 'uuid', term);
}

/** `web`, `web*`, `*web`, `*web*` (or `=web`) as StringPropertyQuery's contains / startswith / endswith / exactmatch. */
function stringMatch(property: string, value: string, exact: boolean, term: string): Node {
  const inner = value.replace(/^\*/, '').replace(/\*$/, '');
  if (/[*?]/.test(inner) || inner === '') throw new Unsayable(term);
  const starts = value.startsWith('*');
  const ends = value.endsWith('*') && value.length > 1;
  const type = starts && ends ? 'contains' : ends ? 'startswith' : starts ? 'endswith' : exact ? 'exactmatch' : 'contains';
  return stringQuery(property, inner, type, false);
}

const stringQuery = (property: string, query: string, type: string, caseSensitive: boolean): Node =>
  el('StringPropertyQuery', [['property', property], ['casesensitive', flag(caseSensitive)], ['query', query], ['type', type]]);

const escape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function render(node: Node, depth: number): string {
  const pad = ' '.repeat(depth * 4);
  const attrs = node.attrs.map(([k, v]) => ` ${k}="${escape(v)}"`).join('');
  if (!node.children.length) return `${pad}<${node.name}${attrs} />`;
  return `${pad}<${node.name}${attrs}>\n${node.children.map((c) => render(c, depth + 1)).join('\n')}\n${pad}</${node.name}>`;
}
