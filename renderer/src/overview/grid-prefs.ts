// Which columns the overview grid shows, in which order, and its sort: kept in the
// window's localStorage (like the pane sizes), checked when read back.
import { useCallback, useState } from 'react';
import { DEFAULT_VISIBLE, GRID_COLUMN_IDS, type GridColumnId } from './grid-columns';
import type { SortBy } from './grid-model';

export interface GridPrefs {
  /** shown columns, in order */
  columns: GridColumnId[];
  sort: SortBy[];
}

export const GRID_PREFS_KEY = 'polyvisor.overviewGrid';
export const DEFAULT_GRID_PREFS: GridPrefs = { columns: [...DEFAULT_VISIBLE], sort: [{ id: 'name', desc: false }] };

const isColumn = (v: unknown): v is GridColumnId => typeof v === 'string' && (GRID_COLUMN_IDS as readonly string[]).includes(v);

export function readGridPrefs(storage: Pick<Storage, 'getItem'> | undefined): GridPrefs {
  let saved: { columns?: unknown; sort?: unknown } = {};
  try {
    const text = storage?.getItem(GRID_PREFS_KEY);
    if (text) saved = JSON.parse(text) as typeof saved;
  } catch (e) {
    console.warn('overview grid: the saved columns are not JSON; using the defaults', e);
  }
  const columns = Array.isArray(saved.columns) ? [...new Set(saved.columns.filter(isColumn))] : [];
  const sort = Array.isArray(saved.sort)
    ? saved.sort.filter((s): s is SortBy => !!s && typeof s === 'object' && isColumn((s as SortBy).id) && typeof (s as SortBy).desc === 'boolean')
    : [];
  return { columns: columns.includes('name') ? columns : DEFAULT_GRID_PREFS.columns, sort: sort.length ? sort : DEFAULT_GRID_PREFS.sort };
}

/** Shows or hides a column (the name always stays), keeping the others' order. */
export function toggleColumn(columns: readonly GridColumnId[], id: GridColumnId): GridColumnId[] {
  if (id === 'name') return [...columns];
  return columns.includes(id) ? columns.filter((c) => c !== id) : [...columns, id];
}

/** Moves a shown column one place left (-1) or right (+1). */
export function moveColumn(columns: readonly GridColumnId[], id: GridColumnId, by: -1 | 1): GridColumnId[] {
  const at = columns.indexOf(id);
  const to = at + by;
  if (at < 0 || to < 0 || to >= columns.length) return [...columns];
  const next = [...columns];
  [next[at], next[to]] = [next[to]!, next[at]!];
  return next;
}

function browserStorage(): Storage | undefined {
  return typeof localStorage === 'undefined' ? undefined : localStorage;
}

export function useGridPrefs(): [GridPrefs, (change: (before: GridPrefs) => GridPrefs) => void] {
  const [prefs, setPrefs] = useState(() => readGridPrefs(browserStorage()));
  const update = useCallback((change: (before: GridPrefs) => GridPrefs) => {
    setPrefs((before) => {
      const next = change(before);
      browserStorage()?.setItem(GRID_PREFS_KEY, JSON.stringify(next));
      return next;
    });
  }, []);
  return [prefs, update];
}
