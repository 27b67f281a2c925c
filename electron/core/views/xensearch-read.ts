// XenCenter's saved searches (.xensearch, SearchMarshalling.SearchesToXML) read into
// Polyvisor's search language. A search is XenCenter's Query (a QueryScope of object
// types and one QueryFilter tree, QueryTypes.cs) plus a grouping. Each filter Polyvisor
// can say becomes its term; a search with a filter it cannot say is not imported and the
// filter is named; a scope or a match read more broadly, and a grouping left out, are noted.

import net from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { PolyvisorError } from '../../../shared/errors';
import type { SavedSearchDraft, XenSearchNote } from '../../../shared/labels';
import { formatQuery, type FieldName, type Query } from '../../../shared/search';
import { ALL_EXC_FOLDERS, EXACT_FIELDS, isObjectType, KIND_OF_TYPE, PAIRED_TYPES, POWER_STATES, SIZE_PROPERTIES, TEXT_PROPERTIES, XENSEARCH_MAJOR, type ObjectType } from './xensearch-names';

/** One element as fast-xml-parser's preserveOrder gives it: `{ [tag]: children, ':@': attributes }`. */
type Element = Record<string, unknown>;

/** The name of a pool or host by its uuid (XenCenter names them by uuid in some filters). */
export type UuidNames = (uuid: string) => string | undefined;

export interface XenSearchRead {
  drafts: SavedSearchDraft[];
  refused: number;
  notes: XenSearchNote[];
}

class Unsupported {
  constructor(readonly what: string) {}
}

const tagOf = (el: Element): string => Object.keys(el).find((k) => k !== ':@') ?? '';
const attr = (el: Element, name: string): string | undefined => (el[':@'] as Record<string, string> | undefined)?.[name];
const childrenOf = (el: Element): Element[] => ((el[tagOf(el)] as Element[] | undefined) ?? []).filter((c) => !tagOf(c).startsWith('#') && !tagOf(c).startsWith('?'));
const yes = (v: string | undefined) => v === 'yes' || v === 'True';
const describe = (el: Element) => [tagOf(el), attr(el, 'property')].filter(Boolean).join(' ');

export function isXenSearch(content: string): boolean {
  return /<Searches[\s>]|<Search[\s>]|<search[\s>]/.test(content);
}

export function readXenSearch(content: string, names: UuidNames = () => undefined): XenSearchRead {
  let doc: Element[];
  try {
    doc = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, trimValues: true }).parse(content) as Element[];
  } catch (e) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `The .xensearch file is not XML: ${(e as Error).message}` });
  }
  const searches: Element[] = [];
  const walk = (list: Element[]) => {
    for (const el of list) {
      const tag = tagOf(el);
      if (tag === 'Search' || tag === 'search') searches.push(el);
      else if (!tag.startsWith('#') && !tag.startsWith('?')) walk(childrenOf(el));
    }
  };
  walk(doc);
  if (!searches.length) throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'The file holds no XenCenter saved search (no <Search> element).' });
  const out: XenSearchRead = { drafts: [], refused: 0, notes: [] };
  for (const el of searches) {
    const name = attr(el, 'name')?.trim() || attr(el, 'uuid') || 'XenCenter search';
    const notes: XenSearchNote[] = [];
    const note = (kind: XenSearchNote['kind'], what: string) => notes.push({ search: name, kind, what });
    try {
      const query = readSearch(el, names, note);
      out.drafts.push({ name, query: formatQuery(query) });
      out.notes.push(...notes);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      out.refused++;
      out.notes.push(...notes, { search: name, kind: 'unsupported', what: e.what });
    }
  }
  return out;
}

type Note = (kind: XenSearchNote['kind'], what: string) => void;

function readSearch(el: Element, names: UuidNames, note: Note): Query | null {
  const major = Number(attr(el, 'major_version') ?? '0');
  if (major > XENSEARCH_MAJOR) throw new Unsupported(`major_version ${major} (XenCenter reads up to ${XENSEARCH_MAJOR})`);
  const [first, ...rest] = childrenOf(el);
  for (const child of rest) if (tagOf(child) !== 'columns' && tagOf(child) !== 'sorting') note('ignored', `grouping ${describe(child)}`);
  if (!first) throw new Unsupported('a Search without a Query');
  // versions 0 and 1 hold the filter itself; 2 a Query of a scope and a filter
  if (major < 2) return readFilter(first, names, note);
  if (tagOf(first) !== 'Query') throw new Unsupported(`${tagOf(first)} where a Query is expected`);
  const parts = childrenOf(first);
  const scope = parts.find((p) => tagOf(p) === 'QueryScope');
  const filter = parts.find((p) => tagOf(p) !== 'QueryScope');
  return and([scope ? readScope(scope, note) : null, filter ? readFilter(filter, names, note) : null]);
}

function readScope(el: Element, note: Note): Query | null {
  const types = new Set(childrenOf(el).map(tagOf).filter((t): t is ObjectType => isObjectType(t)));
  for (const t of childrenOf(el).map(tagOf)) if (!isObjectType(t) && t !== 'NONE' && !t.startsWith('ALL')) note('ignored', `object type ${t}`);
  if (ALL_EXC_FOLDERS.every((t) => types.has(t))) return null;
  for (const [a, b] of PAIRED_TYPES) if (types.has(a) !== types.has(b)) note('approximated', `object type ${types.has(a) ? a : b} (read as every ${KIND_OF_TYPE[a]})`);
  const kinds = new Set<string>();
  for (const t of types) {
    const kind = KIND_OF_TYPE[t];
    if (kind) kinds.add(kind);
    else note('ignored', `object type ${t}`);
  }
  if (!kinds.size) throw new Unsupported(`a scope of only ${[...types].join(', ') || 'no types'}`);
  return or([...kinds].map((kind) => text('type', kind, false)));
}

function readFilter(el: Element, names: UuidNames, note: Note): Query | null {
  const tag = tagOf(el);
  const property = attr(el, 'property') ?? '';
  switch (tag) {
    case 'GroupQuery': {
      const items = childrenOf(el).map((c) => readFilter(c, names, note));
      const type = attr(el, 'type');
      if (type === 'And') return and(items);
      // an empty filter (a blank name) matches everything: an OR holding one does too, a NOR nothing
      const everything = items.some((q) => q === null);
      if (type === 'Or') return everything ? null : or(items as Query[]);
      if (type === 'Nor' && everything) throw new Unsupported('GroupQuery Nor of a filter that matches everything');
      if (type === 'Nor') return not(or(items as Query[]));
      throw new Unsupported(`GroupQuery type ${type}`);
    }
    case 'StringPropertyQuery': {
      const field = TEXT_PROPERTIES[property];
      if (!field) break;
      return stringMatch(el, field, note);
    }
    case 'ValuePropertyQuery':
      if (property !== 'os_name') break;
      return negate(text('os', attr(el, 'query') ?? '', true), !yes(attr(el, 'equals')));
    case 'EnumPropertyQuery': {
      const value = attr(el, 'query') ?? '';
      const equals = yes(attr(el, 'equals'));
      if (property === 'power_state' && POWER_STATES[value]) return negate(text('state', POWER_STATES[value], false), !equals);
      if (property === 'type') {
        // as XenCenter reads it: a legacy "SR" is a remote SR
        const type = value === 'SR' ? 'RemoteSR' : value;
        const kind = isObjectType(type) ? KIND_OF_TYPE[type] : null;
        if (!kind) throw new Unsupported(`EnumPropertyQuery type ${value}`);
        if (PAIRED_TYPES.some((pair) => pair.includes(type as ObjectType))) note('approximated', `EnumPropertyQuery type ${value} (read as every ${kind})`);
        return negate(text('type', kind, false), !equals);
      }
      break;
    }
    case 'StringListContainsQuery':
      if (property !== 'tags') break;
      return negate(text('tag', attr(el, 'query') ?? '', false), !yes(attr(el, 'contains')));
    case 'ListEmptyQuery':
      if (property !== 'tags') break;
      return negate(text('tag', '*', false), yes(attr(el, 'empty')));
    case 'NullQuery':
      if (property !== 'folder') break;
      return negate(text('folder', '*', false), yes(attr(el, 'query')));
    case 'IntPropertyQuery': {
      const field = SIZE_PROPERTIES[property];
      const value = Number(attr(el, 'query'));
      const op = { gt: '>', lt: '<', exactmatch: '=' }[attr(el, 'type') ?? ''] as '>' | '<' | '=' | undefined;
      if (!field || !op || !Number.isSafeInteger(value)) break;
      return { kind: 'compare', field, op, value };
    }
    case 'IPAddressQuery': {
      const address = attr(el, 'address') ?? '';
      if (!net.isIP(address)) throw new Unsupported(`IPAddressQuery address ${address} (only single addresses)`);
      return text('ip', address, true);
    }
    case 'RecursiveXMOPropertyQuery':
    case 'RecursiveXMOListPropertyQuery':
      return readRecursive(el, property, names, note);
    case 'XenModelObjectPropertyQuery': {
      if (property !== 'pool' && property !== 'host') break;
      const uuid = attr(el, 'uuid') ?? '';
      const name = names(uuid);
      if (!name) throw new Unsupported(`${describe(el)} uuid ${uuid} (no ${property} with that uuid is connected)`);
      return negate(text(property, name, true), !yes(attr(el, 'equals')));
    }
  }
  throw new Unsupported(describe(el));
}

/** "pool is …", "server is …" and "folder is …": a filter on the object's pool, host or folder. */
function readRecursive(el: Element, property: string, names: UuidNames, note: Note): Query | null {
  const sub = childrenOf(el)[0];
  if (!sub || tagOf(sub) !== 'StringPropertyQuery') throw new Unsupported(`${describe(el)}${sub ? ` of ${describe(sub)}` : ''}`);
  const subProperty = attr(sub, 'property');
  if (property === 'pool' || property === 'host') {
    if (subProperty === 'label') return stringMatch(sub, property, note);
    if (subProperty === 'uuid' && attr(sub, 'type') === 'exactmatch') {
      const name = names(attr(sub, 'query') ?? '');
      if (name) return text(property, name, true);
      throw new Unsupported(`${describe(el)} uuid ${attr(sub, 'query')} (no ${property} with that uuid is connected)`);
    }
  }
  // a folder's uuid is its path ("/Production/Web")
  if ((property === 'folder' || property === 'folders') && subProperty === 'uuid') {
    const path = attr(sub, 'query') ?? '';
    if (attr(sub, 'type') === 'exactmatch' && !/[*?]/.test(path)) {
      // folder: the object's own folder; folders: any of its ancestors, so that folder or one below it
      return property === 'folder' ? text('folder', path, true) : or([text('folder', path, true), text('folder', `${path}/*`, false)]);
    }
  }
  throw new Unsupported(`${describe(el)} of ${describe(sub)} ${attr(sub, 'type') ?? ''}`.trim());
}

/** StringPropertyQuery's match types on one Polyvisor text field (its matching is case-insensitive). */
function stringMatch(el: Element, field: FieldName, note: Note): Query | null {
  const value = attr(el, 'query') ?? '';
  const type = attr(el, 'type');
  if (value === '') return null; // XenCenter's MatchString: an empty query matches everything
  if (/[*?]/.test(value)) throw new Unsupported(`${describe(el)} "${value}" (a literal * or ? would read as a wildcard)`);
  if (yes(attr(el, 'casesensitive')) && field !== 'uuid') note('approximated', `${describe(el)} "${value}" (matched without regard to case)`);
  const exactField = EXACT_FIELDS.has(field);
  switch (type) {
    case 'exactmatch':
      return text(field, value, true);
    case 'contains':
      return text(field, exactField ? `*${value}*` : value, false);
    case 'notcontain':
      return not(text(field, exactField ? `*${value}*` : value, false));
    case 'startswith':
      return text(field, `${value}*`, false);
    case 'endswith':
      return text(field, `*${value}`, false);
  }
  throw new Unsupported(`${describe(el)} type ${type}`);
}

const text = (field: FieldName, value: string, exact: boolean): Query => ({ kind: 'text', field, value, exact });
const invert = (q: Query): Query => (q.kind === 'not' ? q.item : { kind: 'not', item: q });
const negate = (q: Query, yesNot: boolean): Query => (yesNot ? invert(q) : q);
const not = (q: Query | null): Query | null => (q === null ? null : invert(q));

function and(items: Array<Query | null>): Query | null {
  const kept = items.filter((q): q is Query => q !== null);
  return kept.length === 0 ? null : kept.length === 1 ? kept[0]! : { kind: 'and', items: kept };
}

/** An OR of the same term twice (UserTemplate OR DefaultTemplate) is that term once. */
function or(items: Query[]): Query | null {
  const seen = new Map(items.map((q) => [formatQuery(q), q]));
  const kept = [...seen.values()];
  return kept.length === 0 ? null : kept.length === 1 ? kept[0]! : { kind: 'or', items: kept };
}
