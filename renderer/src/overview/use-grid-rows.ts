// The overview grid's data for one tree node: its rows, their filter texts, the order
// (sorted, then filtered) — each remade only when what it depends on changes.
import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store/store';
import { COLUMN_BY_ID, type GridColumn, type GridColumnId, type GridContext } from './grid-columns';
import { filterRows, filterTexts, refines, sortRows, type ColumnFilters, type FilterTexts, type SortBy } from './grid-model';
import { rowsBeneath, type GridRow } from './grid-rows';
import { useUsageStore } from './usage-store';
import type { UsageReading } from '../../../shared/usage';

const LIVE: ReadonlySet<GridColumnId> = new Set(['cpu', 'memory']);
const NO_USAGE: ReadonlyMap<string, UsageReading> = new Map();

export interface GridData {
  ctx: GridContext;
  columns: GridColumn[];
  all: GridRow[];
  shown: GridRow[];
}

export function useGridRows(rootKey: string, visible: readonly GridColumnId[], sort: readonly SortBy[], query: string, columnFilters: ColumnFilters): GridData {
  const { t, i18n } = useTranslation();
  const index = useStore((s) => s.index);
  const servers = useStore((s) => s.servers);
  const usage = useUsageStore((s) => s.readings);
  const sortsByUsage = sort.some((s) => LIVE.has(s.id));
  const filtersByUsage = Object.entries(columnFilters).some(([id, v]) => LIVE.has(id as GridColumnId) && v);
  // the usage map changes every few seconds: only what orders or filters by it follows it
  const orderUsage = sortsByUsage || filtersByUsage ? usage : undefined;
  const ctx = useMemo<GridContext>(() => ({ t, language: i18n.language, usage }), [t, i18n.language, usage]);
  const all = useMemo(() => rowsBeneath(index, rootKey, servers), [index, rootKey, servers]);
  const columns = useMemo(() => visible.map((id) => COLUMN_BY_ID.get(id)!).filter(Boolean), [visible]);
  const stableCtx = useMemo<GridContext>(() => ({ t, language: i18n.language, usage: orderUsage ?? NO_USAGE }), [t, i18n.language, orderUsage]);
  const textCtx = useMemo<GridContext>(() => ({ t, language: i18n.language, usage: NO_USAGE }), [t, i18n.language]);
  const texts = useMemo(() => filterTexts(all, columns, textCtx), [all, columns, textCtx]);
  const sorted = useMemo(() => sortRows(all, sort, stableCtx), [all, sort, stableCtx]);
  // typing on narrows the rows the last query left, rather than all of them
  const last = useRef<{ base: GridRow[]; texts: FilterTexts; filters: ColumnFilters; ctx: GridContext; query: string; result: GridRow[] } | null>(null);
  const shown = useMemo(() => {
    const before = last.current;
    const narrows = before !== null && before.base === sorted && before.texts === texts && before.filters === columnFilters && before.ctx === stableCtx && refines(before.query, query);
    const result = filterRows(narrows ? before.result : sorted, texts, query, columnFilters, stableCtx);
    last.current = { base: sorted, texts, filters: columnFilters, ctx: stableCtx, query, result };
    return result;
  }, [sorted, texts, query, columnFilters, stableCtx]);
  return { ctx, columns, all, shown };
}
