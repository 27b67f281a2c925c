// A query back to text: what a saved search stores and what parses to the same query.
import { FIELDS, type Query } from './query';

const PLAIN = /^[^\s:()<>="\\]+$/;
const KEYWORDS = new Set(['AND', 'OR', 'NOT', '&&', '||', '!']);

function quote(value: string, bare: boolean): string {
  const plain = PLAIN.test(value) && !KEYWORDS.has(value) && !value.startsWith('-');
  // a bare word that looks like a field term would read as one: quote it
  if (plain && !(bare && value.includes(':'))) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function formatQuery(query: Query | null): string {
  if (query === null) return '';
  return format(query, 0);
}

// precedence: or 1, and 2, not/terms 3
function format(q: Query, outer: number): string {
  switch (q.kind) {
    case 'or': {
      const text = q.items.map((item) => format(item, 1)).join(' OR ');
      return outer > 1 ? `(${text})` : text;
    }
    case 'and': {
      const text = q.items.map((item) => format(item, 2)).join(' ');
      return outer > 2 ? `(${text})` : text;
    }
    case 'not':
      return `NOT ${format(q.item, 3)}`;
    case 'text':
      if (q.field === null) return quote(q.value, true);
      return `${q.field}${q.exact ? '=' : ':'}${quote(q.value, false)}`;
    case 'compare':
      return `${q.field}${q.op}${FIELDS[q.field].type === 'size' ? sizeText(q.value) : q.value}`;
  }
}

const UNITS: Array<[string, number]> = [
  ['TiB', 1024 ** 4],
  ['GiB', 1024 ** 3],
  ['MiB', 1024 ** 2],
  ['KiB', 1024],
];

/** The largest binary unit that holds the size exactly ("4GiB"), else bytes: it parses back to the same number. */
function sizeText(bytes: number): string {
  for (const [unit, factor] of UNITS) if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  return `${bytes}B`;
}
