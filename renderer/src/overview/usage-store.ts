// The live usage readings the core sends (usage:changed), and what this window tells
// the core it shows: each surface (the tree, a grid) names its visible node ids; their
// union goes to `usage:watch`, renewed before the core forgets it and marked hidden
// while the window is.
import { create } from 'zustand';
import { USAGE_WATCH_MAX, USAGE_WATCH_TTL_MS, type UsageReading } from '../../../shared/usage';
import type { PolyvisorClient } from '../../../shared/contract';
import { getClient } from '../client';

interface UsageState {
  readings: ReadonlyMap<string, UsageReading>;
}

export const useUsageStore = create<UsageState>(() => ({ readings: new Map() }));

const WATCHER = `window-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
const SEND_DEBOUNCE_MS = 150;
const surfaces = new Map<string, readonly string[]>();
let client: PolyvisorClient | undefined;
let pending: ReturnType<typeof setTimeout> | undefined;
let renewal: ReturnType<typeof setInterval> | undefined;

/** Starts following usage:changed (once per page, at the first surface that watches). */
function connectUsage(c: PolyvisorClient): () => void {
  client = c;
  const off = c.on('usage:changed', ({ readings }) => {
    useUsageStore.setState((s) => {
      const next = new Map(s.readings);
      for (const r of readings) next.set(r.nodeId, r);
      return { readings: next };
    });
  });
  const onVisibility = () => send();
  document.addEventListener('visibilitychange', onVisibility);
  renewal = setInterval(send, USAGE_WATCH_TTL_MS / 3);
  return () => {
    off();
    document.removeEventListener('visibilitychange', onVisibility);
    clearInterval(renewal);
  };
}

/** A surface's visible node ids (an empty list: it shows none now). */
export function watchUsage(surface: string, nodeIds: readonly string[]): void {
  if (!client) connectUsage(getClient().client);
  if (nodeIds.length === 0) surfaces.delete(surface);
  else surfaces.set(surface, nodeIds);
  clearTimeout(pending);
  pending = setTimeout(send, SEND_DEBOUNCE_MS);
}

function send(): void {
  if (!client) return;
  const ids = [...new Set([...surfaces.values()].flat())].slice(0, USAGE_WATCH_MAX);
  client.invoke('usage:watch', { watcher: WATCHER, nodeIds: ids, hidden: document.visibilityState === 'hidden' }).catch((e: unknown) => {
    console.warn('live usage: the core refused the watched rows', e);
  });
}
