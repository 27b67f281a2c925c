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
  if (words) return wordMarks(order, words, showTemplates);
  const n = order.keys.length;
  const marks = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (order.template[i] && !showTemplates) continue;
    if (test) {
      const subject = subjects.get(order.keys[i]!);
      if (!subject || !test(subject)) continue;
    } else if (!order.names[i]!.includes(needle)) continue;
    markWithAncestors(order, marks, i);
  }
  return marks;
}

function markWithAncestors(order: TreeOrder, marks: Uint8Array, i: number): void {
  marks[i] = 2;
  for (let p = order.parent[i]!; p >= 0 && marks[p] === 0; p = order.parent[p]!) marks[p] = 1;
}

/** The rows a plain-words query matched last: a query that only grows ("vm-0" → "vm-09") looks at those alone. */
let lastWords: { order: TreeOrder; showTemplates: boolean; words: string[]; matched: Int32Array } | null = null;

/** Marks for a query of plain words: each word in the row's lower-case name. */
function wordMarks(order: TreeOrder, words: string[], showTemplates: boolean): Uint8Array {
  const n = order.keys.length;
  const marks = new Uint8Array(n);
  const last = lastWords;
  // every row the new words match, the last words matched too
  const candidates = last && last.order === order && last.showTemplates === showTemplates && last.words.every((w) => words.some((x) => x.includes(w))) ? last.matched : null;
  const limit = candidates ? candidates.length : n;
  const matched = new Int32Array(limit);
  const single = words.length === 1 ? words[0]! : null;
  let count = 0;
  for (let k = 0; k < limit; k++) {
    const i = candidates ? candidates[k]! : k;
    if (!candidates && order.template[i] && !showTemplates) continue;
    const name = order.names[i]!;
    if (single !== null ? !name.includes(single) : !words.every((w) => name.includes(w))) continue;
    matched[count++] = i;
    markWithAncestors(order, marks, i);
  }
  lastWords = { order, showTemplates, words, matched: matched.subarray(0, count) };
  return marks;
}

interface RecentMarks {
  order: TreeOrder;
  showTemplates: boolean;
  /** by the search text: the marks and the subjects they were made from (null: names only) */
  byFilter: Map<string, { marks: Uint8Array | null; subjects: SubjectIndex | null }>;
}

/** How many searches' marks are kept: erasing a query goes back through the ones typed. */
const RECENT_LIMIT = 32;
let recent: RecentMarks | null = null;

/** matchMarks, kept for the last searches: the tree and the commands ask for the same marks, and erasing returns to earlier ones. */
export function cachedMarks(order: TreeOrder, filter: string, subjects: SubjectIndex, showTemplates: boolean): Uint8Array | null {
  if (!recent || recent.order !== order || recent.showTemplates !== showTemplates) recent = { order, showTemplates, byFilter: new Map() };
  const kept = recent.byFilter.get(filter);
  if (kept && (kept.subjects === null || kept.subjects === subjects)) return kept.marks;
  const marks = matchMarks(order, filter, subjects, showTemplates);
  // a query of plain words reads only the names, which change only with the order
  const bySubjects = compileFilter(filter).words === null && compileFilter(filter).test !== null;
  if (recent.byFilter.size >= RECENT_LIMIT) recent.byFilter.delete(recent.byFilter.keys().next().value!);
  recent.byFilter.set(filter, { marks, subjects: bySubjects ? subjects : null });
  return marks;
}

/** Every row of a layout (templates per the setting), kept per layout: Expand all and an erased search show them again without a pass over the tree. */
const everyRow = new WeakMap<TreeOrder, { showTemplates: boolean; rows: VisibleRows }>();

/** The visible rows for the marks: every row when nothing filters (collapsed subtrees skipped), else the marked ones. */
export function rowsFor(order: TreeOrder, collapsed: ReadonlySet<string>, marks: Uint8Array | null, showTemplates: boolean): VisibleRows {
  if (!marks && collapsed.size === 0) {
    const kept = everyRow.get(order);
    if (kept?.showTemplates === showTemplates) return kept.rows;
    const rows = unfilteredRows(order, collapsed, showTemplates);
    everyRow.set(order, { showTemplates, rows });
    return rows;
  }
  return marks ? markedRows(order, marks) : unfilteredRows(order, collapsed, showTemplates);
}

/** the rows of each search's marks (kept with them in cachedMarks): going back to a search shows its rows without a pass */
const rowsOfMarks = new WeakMap<Uint8Array, VisibleRows>();

function unfilteredRows(order: TreeOrder, collapsed: ReadonlySet<string>, showTemplates: boolean): VisibleRows {
  const n = order.keys.length;
  const out = new Int32Array(n);
  let count = 0;
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

function markedRows(order: TreeOrder, marks: Uint8Array): VisibleRows {
  const kept = rowsOfMarks.get(marks);
  if (kept) return kept;
  const n = order.keys.length;
  const out = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if (marks[i]) out[count++] = i;
  const rows = { positions: out.subarray(0, count), marks };
  rowsOfMarks.set(marks, rows);
  return rows;
}
