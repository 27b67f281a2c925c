// How often the command surfaces follow the inventory. A change to an object the commands
// act on (the selection, or a details pane's scope), or to which objects those are,
// re-evaluates the commands at once; any other inventory change — a
// power change elsewhere in a fleet, hundreds a second — at most every PACE_MS. Running a
// command always evaluates it again on the store as it is then (runner.ts), so a button
// shown up to PACE_MS late never runs a command that cannot run.
import { useEffect, useReducer, useRef } from 'react';
import type { InventoryNode } from '../../../shared/model';
import { useStore } from '../store/store';
import type { InventoryIndex } from '../tree/inventory-index';

export const PACE_MS = 250;

interface Shown {
  index: InventoryIndex;
  /** the keys the commands act on, joined */
  targets: string;
  /** those nodes as they were when shown: the index updates nodes in place, so identity is kept here */
  selected: ReadonlyArray<InventoryNode | undefined>;
  at: number;
}

/** Whether the index changed in a way the surfaces must show at once. */
export function mustShowNow(shown: Shown | null, index: InventoryIndex, targets: readonly string[], now: number): boolean {
  if (!shown) return true;
  if (shown.index === index) return false;
  if (shown.targets !== targets.join('\n')) return true;
  for (let i = 0; i < targets.length; i++) if (index.nodes.get(targets[i]!) !== shown.selected[i]) return true;
  return now - shown.at >= PACE_MS;
}

export function shownNow(index: InventoryIndex, targets: readonly string[], now: number): Shown {
  return { index, targets: targets.join('\n'), selected: targets.map((key) => index.nodes.get(key)), at: now };
}

/** The inventory index the command surfaces evaluate against: the store's, paced as above. `scopeKeys`: a details pane's objects, else the selection. */
export function usePacedCommandIndex(scopeKeys?: readonly string[]): InventoryIndex {
  const index = useStore((s) => s.index);
  const selection = useStore((s) => s.selection);
  const targets = scopeKeys ?? selection;
  const shown = useRef<Shown | null>(null);
  const [, wake] = useReducer((n: number) => n + 1, 0);
  const now = performance.now();
  if (mustShowNow(shown.current, index, targets, now)) shown.current = shownNow(index, targets, now);
  const behind = shown.current!.index !== index;
  const dueIn = behind ? Math.max(0, PACE_MS - (now - shown.current!.at)) : null;
  useEffect(() => {
    if (dueIn === null) return;
    const timer = setTimeout(wake, dueIn);
    return () => clearTimeout(timer);
  }, [dueIn]);
  return shown.current!.index;
}
