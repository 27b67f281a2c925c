// Which rows the search box keeps: its text is a query of the search language, run on
// each row's search subject. A bare word is a name substring, as the plain filter was;
// a malformed query (its error shown under the box) filters by the text as a name.
import { compileQuery, parseQuery, type Query, type SearchError, type SubjectTest } from '../../../shared/search';
import type { TreeOrder, VisibleRows } from '../tree/flatten';
import type { SubjectIndex } from './subjects';

export interface CompiledFilter {
  test: SubjectTest | null;
  /** a query of plain words only: each must be in the name (the tree's lower-case names answer it without subjects) */
  words: string[] | null;
  error: SearchError | null;
}

/** The words of a query made only of bare words without wildcards, else null. */
function plainWords(query: Query | null): string[] | null {
  if (!query) return null;
  const terms = query.kind === 'and' ? query.items : [query];
  const words: string[] = [];
  for (const t of terms) {
    if (t.kind !== 'text' || t.field !== null || /[*?]/.test(t.value)) return null;
    words.push(t.value.toLowerCase());
  }
  return words;
}

let lastFilter: { text: string; compiled: CompiledFilter } | null = null;

export function compileFilter(text: string): CompiledFilter {
  if (lastFilter?.text === text) return lastFilter.compiled;
  const parsed = parseQuery(text);
  const compiled: CompiledFilter = parsed.ok
    ? { test: parsed.query ? compileQuery(parsed.query) : null, words: plainWords(parsed.query), error: null }
    : { test: null, words: null, error: parsed.error };
  lastFilter = { text, compiled };
  return compiled;
}

/** 2 = the row itself matches, 1 = an ancestor of a match; null when nothing filters. */
export function matchMarks(order: TreeOrder, filter: string, subjects: SubjectIndex, showTemplates: boolean): Uint8Array | null {
  const needle = filter.trim().toLowerCase();
  if (!needle) return null;
  const { test, words } = compileFilter(filter);
  const n = order.keys.length;
  const marks = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (order.template[i] && !showTemplates) continue;
    if (words) {
      const name = order.names[i]!;
      if (!words.every((w) => name.includes(w))) continue;
    } else if (test) {
      const subject = subjects.get(order.keys[i]!);
      if (!subject || !test(subject)) continue;
    } else if (!order.names[i]!.includes(needle)) continue;
    marks[i] = 2;
    for (let p = order.parent[i]!; p >= 0 && marks[p] === 0; p = order.parent[p]!) marks[p] = 1;
  }
  return marks;
}

let lastMarks: { order: TreeOrder; filter: string; subjects: SubjectIndex; showTemplates: boolean; marks: Uint8Array | null } | null = null;

/** matchMarks, kept for the last inputs: the tree and the commands ask for the same marks. */
export function cachedMarks(order: TreeOrder, filter: string, subjects: SubjectIndex, showTemplates: boolean): Uint8Array | null {
  const last = lastMarks;
  if (last && last.order === order && last.filter === filter && last.subjects === subjects && last.showTemplates === showTemplates) return last.marks;
  const marks = matchMarks(order, filter, subjects, showTemplates);
  lastMarks = { order, filter, subjects, showTemplates, marks };
  return marks;
}

/** The visible rows for the marks: every row when nothing filters (collapsed subtrees skipped), else the marked ones. */
export function rowsFor(order: TreeOrder, collapsed: ReadonlySet<string>, marks: Uint8Array | null, showTemplates: boolean): VisibleRows {
  const n = order.keys.length;
  const out = new Int32Array(n);
  let count = 0;
  if (!marks) {
    let i = 0;
    while (i < n) {
      if (order.template[i] && !showTemplates) {
        i = order.end[i]!;
        continue;
      }
      out[count++] = i;
      i = collapsed.size && collapsed.has(order.keys[i]!) ? order.end[i]! : i + 1;
    }
    return { positions: out.subarray(0, count), marks: null };
  }
  for (let i = 0; i < n; i++) if (marks[i]) out[count++] = i;
  return { positions: out.subarray(0, count), marks };
}
