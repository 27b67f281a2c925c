// The live usage sampler (issue 15): every few seconds it reads the usage of the nodes
// someone looks at — each window's visible rows (`usage:watch`, renewed by the page) and
// whatever in the core follows nodes (threshold rules: `follow`) — and hands the
// readings to its listeners. While every window is hidden and nothing in the core
// follows, it samples six times less often; with nothing to watch it sleeps.

import {
  USAGE_HIDDEN_FACTOR,
  USAGE_INTERVAL_MS,
  USAGE_WATCH_TTL_MS,
  type UsageReading,
  type UsageWatch,
} from '../../../../shared/usage';
import { readUsage, type UsageReaderDeps } from './usage-reader';

export interface LiveUsageOptions extends UsageReaderDeps {
  intervalMs?: number;
}

/** rows scrolled into view are read this soon (a scroll sends several lists in a row) */
const WATCH_SETTLE_MS = 200;

type Listener = (readings: UsageReading[]) => void;

export class LiveUsage {
  private readonly watchers = new Map<string, { ids: string[]; hidden: boolean; at: number }>();
  private readonly followers = new Map<string, string[]>();
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sampling = false;
  private stopped = false;

  constructor(private readonly options: LiveUsageOptions) {}

  /** A window's visible rows (replacing its earlier list); an empty list forgets the window. */
  watch(w: UsageWatch): void {
    const before = this.watchers.get(w.watcher);
    const hidden = w.hidden === true;
    if (w.nodeIds.length === 0) this.watchers.delete(w.watcher);
    else this.watchers.set(w.watcher, { ids: w.nodeIds, hidden, at: this.now() });
    // a renewal of the same list keeps the rhythm; new rows (or a window shown again) are read soon
    const same = before !== undefined && before.hidden === hidden && before.ids.join('\n') === w.nodeIds.join('\n');
    if (!same && !(hidden && before)) this.schedule(WATCH_SETTLE_MS);
  }

  /** Nodes a part of the core follows (threshold rules); an empty list stops following. */
  follow(owner: string, nodeIds: readonly string[]): void {
    if (nodeIds.length === 0) this.followers.delete(owner);
    else this.followers.set(owner, [...nodeIds]);
    this.schedule(WATCH_SETTLE_MS);
  }

  /** Every round of readings; returns the unsubscribe. */
  onReadings(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads these nodes now (the CLI, a first paint). */
  read(nodeIds: readonly string[]): Promise<UsageReading[]> {
    return readUsage(nodeIds, this.options);
  }

  /** The node ids sampled at the next round (expired watchers dropped). */
  watched(): { ids: string[]; hidden: boolean } {
    const now = this.now();
    for (const [id, w] of this.watchers) if (now - w.at > USAGE_WATCH_TTL_MS) this.watchers.delete(id);
    const ids = new Set<string>();
    let hidden = this.followers.size === 0;
    for (const w of this.watchers.values()) {
      for (const id of w.ids) ids.add(id);
      hidden &&= w.hidden;
    }
    for (const list of this.followers.values()) for (const id of list) ids.add(id);
    return { ids: [...ids], hidden: hidden && ids.size > 0 };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.sampling) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), delayMs);
    this.timer.unref?.();
  }

  private async round(): Promise<void> {
    this.timer = undefined;
    const { ids, hidden } = this.watched();
    if (ids.length === 0) return;
    this.sampling = true;
    try {
      const readings = await this.read(ids);
      for (const listener of this.listeners) listener(readings);
    } catch (e) {
      this.options.log?.('warn', `Live usage round failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.sampling = false;
    }
    const interval = this.options.intervalMs ?? USAGE_INTERVAL_MS;
    this.schedule(hidden ? interval * USAGE_HIDDEN_FACTOR : interval);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
