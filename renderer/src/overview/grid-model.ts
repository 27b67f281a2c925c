// Sorting, filtering and CSV of the overview grid, as pure functions over rows: the
// component keeps the row order and the filter's texts, the tests and the bench call
// these directly. Filtering reads texts made once per set of rows (not per keystroke).
import { csvLines } from '../../../shared/csv';
import { COLUMN_BY_ID, type GridColumn, type GridColumnId, type GridContext, type SortKey } from './grid-columns';
import type { GridRow } from './grid-rows';

export interface SortBy {
  id: GridColumnId;
  desc: boolean;
}

/** Clicking a header sorts by it alone (again: the other way); shift-click adds or flips it as a further key. */
export function nextSort(sorts: readonly SortBy[], id: GridColumnId, additive: boolean): SortBy[] {
  const at = sorts.findIndex((s) => s.id === id);
  if (!additive) return [{ id, desc: at === 0 && sorts.length === 1 ? !sorts[0]!.desc : false }];
  if (at < 0) return [...sorts, { id, desc: false }];
  return sorts.map((s, i) => (i === at ? { id, desc: !s.desc } : s));
}

/** Rows in the sort order (stable: ties keep the tree's order); a missing value sorts last either way. */
export function sortRows(rows: readonly GridRow[], sorts: readonly SortBy[], ctx: GridContext): GridRow[] {
  const active = sorts.map((s) => ({ s, column: COLUMN_BY_ID.get(s.id) })).filter((x): x is { s: SortBy; column: GridColumn } => !!x.column);
  if (active.length === 0) return [...rows];
  const collator = new Intl.Collator(ctx.language, { numeric: true, sensitivity: 'base' });
  const keys = active.map(({ column }) => rows.map((r) => column.sortKey(r, ctx)));
  const order = rows.map((_r, i) => i);
  order.sort((a, b) => {
    for (let k = 0; k < active.length; k++) {
      const c = compareKeys(keys[k]![a], keys[k]![b], collator);
      if (c.missing) return c.value;
      if (c.value !== 0) return active[k]!.s.desc ? -c.value : c.value;
    }
    return a - b;
  });
  return order.map((i) => rows[i]!);
}

function compareKeys(a: SortKey, b: SortKey, collator: Intl.Collator): { value: number; missing: boolean } {
  if (a === undefined || b === undefined) return { value: a === b ? 0 : a === undefined ? 1 : -1, missing: a !== b };
  if (typeof a === 'number' && typeof b === 'number') return { value: a - b, missing: false };
  return { value: collator.compare(String(a), String(b)), missing: false };
}

/** Lower-case texts of the columns the filter box searches, per row (made once per set of rows). */
export interface FilterTexts {
  rows: readonly GridRow[];
  /** column id → one lower-case text per row */
  byColumn: Map<GridColumnId, string[]>;
  /** all searched columns of a row, joined */
  whole: string[];
}

/** The usage columns change every few seconds and are numbers: the filter box leaves them out; a column filter compares them (">50"). */
const LIVE_COLUMNS: ReadonlySet<GridColumnId> = new Set(['cpu', 'memory']);

export function filterTexts(rows: readonly GridRow[], columns: readonly GridColumn[], ctx: GridContext): FilterTexts {
  const searched = columns.filter((c) => !LIVE_COLUMNS.has(c.id));
  const byColumn = new Map<GridColumnId, string[]>();
  for (const c of searched) byColumn.set(c.id, rows.map((r) => c.text(r, ctx).toLocaleLowerCase()));
  const whole = rows.map((_r, i) => searched.map((c) => byColumn.get(c.id)![i]).join('\u0001'));
  return { rows, byColumn, whole };
}

/** Whether every row `next` keeps is one `previous` kept: the query only grew at its end (a term longer, or terms added). */
export function refines(previous: string, next: string): boolean {
  const a = previous.trim().toLocaleLowerCase();
  return a !== '' && next.toLocaleLowerCase().trimStart().startsWith(a) && next.length >= previous.length;
}

/** A column's filter: "text" (contained), or for numeric columns ">N" / "<N" (CPU in %). */
export type ColumnFilters = Partial<Record<GridColumnId, string>>;

/** Rows every term of the query matches somewhere, and every column filter matches; in the given order. */
export function filterRows(ordered: readonly GridRow[], texts: FilterTexts, query: string, columnFilters: ColumnFilters, ctx: GridContext): GridRow[] {
  const terms = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const filters = Object.entries(columnFilters)
    .filter(([, v]) => v && v.trim())
    .map(([id, v]) => columnTest(id as GridColumnId, v!.trim(), texts, ctx));
  if (terms.length === 0 && filters.length === 0) return [...ordered];
  const position = positions(texts.rows);
  return ordered.filter((row) => {
    const i = position.get(row)!;
    const whole = texts.whole[i]!;
    for (const term of terms) if (!whole.includes(term)) return false;
    for (const test of filters) if (!test(row, i)) return false;
    return true;
  });
}

const positionCache = new WeakMap<readonly GridRow[], Map<GridRow, number>>();
function positions(rows: readonly GridRow[]): Map<GridRow, number> {
  let map = positionCache.get(rows);
  if (!map) {
    map = new Map(rows.map((r, i) => [r, i]));
    positionCache.set(rows, map);
  }
  return map;
}

function columnTest(id: GridColumnId, filter: string, texts: FilterTexts, ctx: GridContext): (row: GridRow, i: number) => boolean {
  const column = COLUMN_BY_ID.get(id)!;
  const compare = /^([<>])\s*(-?\d+(?:\.\d+)?)$/.exec(filter);
  if (compare && column.numeric) {
    const limit = Number(compare[2]);
    const scale = id === 'cpu' ? 100 : 1;
    return (row) => {
      const key = column.sortKey(row, ctx);
      if (typeof key !== 'number') return false;
      return compare[1] === '>' ? key * scale > limit : key * scale < limit;
    };
  }
  const needle = filter.toLocaleLowerCase();
  const cached = texts.byColumn.get(id);
  if (cached) return (_row, i) => cached[i]!.includes(needle);
  return (row) => column.text(row, ctx).toLocaleLowerCase().includes(needle);
}

/** The rows as CSV with a header of the column labels, lines ended CRLF, with a BOM so spreadsheets read UTF-8. */
export function toCsv(rows: readonly GridRow[], columns: readonly GridColumn[], ctx: GridContext): string {
  const header = columns.map((c) => ctx.t(`overview.column.${c.id}`));
  return `\ufeff${csvLines([header, ...rows.map((row) => columns.map((c) => c.text(row, ctx)))])}`;
}
