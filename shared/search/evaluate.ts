// Runs a query on the normalized model: a subject is what one inventory object offers
// to the search, the same for every platform. A query is compiled once per keystroke.
import { FIELDS, type FieldName, type Query } from './query';

export interface SearchSubject {
  /** vm, container, template, host, pool, server, storage, network, snapshot, image, volume, project */
  type: string;
  name: string;
  state?: string;
  server?: string;
  pool?: string;
  host?: string;
  tags: readonly string[];
  /** a folder path, "/Production/Web" */
  folder?: string;
  os?: string;
  ips: readonly string[];
  description?: string;
  uuid?: string;
  memory?: number;
  disk?: number;
  vcpus?: number;
}

export type SubjectTest = (subject: SearchSubject) => boolean;

export function compileQuery(query: Query | null): SubjectTest {
  if (query === null) return () => true;
  switch (query.kind) {
    case 'and': {
      const tests = query.items.map(compileQuery);
      return (s) => tests.every((test) => test(s));
    }
    case 'or': {
      const tests = query.items.map(compileQuery);
      return (s) => tests.some((test) => test(s));
    }
    case 'not': {
      const test = compileQuery(query.item);
      return (s) => !test(s);
    }
    case 'text': {
      const field = query.field ?? 'name';
      const match = textMatcher(query.value, query.exact || Boolean((FIELDS[field] as { exact?: boolean }).exact));
      return (s) => valuesOf(s, field).some(match);
    }
    case 'compare': {
      const { field, op, value } = query;
      return (s) => {
        const actual = s[field as 'memory' | 'disk' | 'vcpus'];
        if (typeof actual !== 'number') return false;
        switch (op) {
          case '>':
            return actual > value;
          case '>=':
            return actual >= value;
          case '<':
            return actual < value;
          case '<=':
            return actual <= value;
          case '=':
            return actual === value;
        }
      };
    }
  }
}

function valuesOf(s: SearchSubject, field: FieldName): readonly string[] {
  switch (field) {
    case 'tag':
      return s.tags;
    case 'ip':
      return s.ips;
    case 'memory':
    case 'disk':
    case 'vcpus':
      return [];
    default: {
      const value = s[field];
      return value === undefined ? [] : [value];
    }
  }
}

/** Case-insensitive; `*` and `?` are wildcards over the whole value; without them a substring (or, exact, the whole value). */
export function textMatcher(pattern: string, exact: boolean): (value: string) => boolean {
  const needle = pattern.toLowerCase();
  if (/[*?]/.test(needle)) {
    const source = needle.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    const re = new RegExp(`^${source}$`, 's');
    return (value) => re.test(value.toLowerCase());
  }
  if (exact) return (value) => value.toLowerCase() === needle;
  return (value) => value.toLowerCase().includes(needle);
}
