// The sizes of the resizable panes (tree width, tasks height), kept in the window's
// localStorage so they survive a restart (Electron keeps it in the profile's userData).
import { useCallback, useState } from 'react';

export interface PaneSizes {
  treeWidth: number;
  tasksHeight: number;
}

export const PANE_SIZES_KEY = 'polyvisor.paneSizes';
export const DEFAULT_PANE_SIZES: PaneSizes = { treeWidth: 300, tasksHeight: 170 };
export const PANE_LIMITS: Record<keyof PaneSizes, { min: number; max: number }> = {
  treeWidth: { min: 180, max: 900 },
  tasksHeight: { min: 60, max: 700 },
};

export function clampPane(which: keyof PaneSizes, value: number): number {
  const { min, max } = PANE_LIMITS[which];
  return Math.round(Math.min(max, Math.max(min, value)));
}

/** The saved sizes, each checked; a missing or damaged entry gives the defaults. */
export function readPaneSizes(storage: Pick<Storage, 'getItem'> | undefined): PaneSizes {
  let saved: Partial<Record<keyof PaneSizes, unknown>> = {};
  try {
    const text = storage?.getItem(PANE_SIZES_KEY);
    if (text) saved = JSON.parse(text) as typeof saved;
  } catch (e) {
    console.warn('pane sizes: the saved entry is not JSON; using the defaults', e);
  }
  const pick = (which: keyof PaneSizes) => {
    const v = saved[which];
    return typeof v === 'number' && Number.isFinite(v) ? clampPane(which, v) : DEFAULT_PANE_SIZES[which];
  };
  return { treeWidth: pick('treeWidth'), tasksHeight: pick('tasksHeight') };
}

function browserStorage(): Storage | undefined {
  return typeof localStorage === 'undefined' ? undefined : localStorage;
}

export function usePaneSizes(): [PaneSizes, (which: keyof PaneSizes, value: number) => void] {
  const [sizes, setSizes] = useState(() => readPaneSizes(browserStorage()));
  const resize = useCallback((which: keyof PaneSizes, value: number) => {
    setSizes((before) => {
      const next = { ...before, [which]: clampPane(which, value) };
      browserStorage()?.setItem(PANE_SIZES_KEY, JSON.stringify(next));
      return next;
    });
  }, []);
  return [sizes, resize];
}
