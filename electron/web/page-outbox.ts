// What the web host sends the pages, at a bounded pace: the core's events wait here for the
// next frame (at most one every FRAME_MS, the first at once), inventory deltas merged while
// they wait (latest version of each node wins: delta-coalescer.ts), so what waits is bounded
// by the nodes that changed, not by the number of changes. While a page's socket still holds
// more than HIGH_WATER_BYTES unsent, nothing more is written: the deltas go on merging here
// instead of piling up as frames (issue 17). Other events keep their place: deltas that came
// before one are sent before it.

import type { EventMap, EventName } from '../../shared/contract';
import { DeltaCoalescer } from '../core/inventory/delta-coalescer';

/** one frame of changes: about a screen refresh */
export const FRAME_MS = 16;
/** unsent bytes on a page's socket above which the host waits instead of writing more */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;

type Queued = { event: EventName; payload: unknown };

export interface PageOutboxOptions {
  /** sends one event to every page, in order */
  send(event: EventName, payload: unknown): void;
  /** the most bytes any page's socket holds unsent */
  backlog(): number;
  frameMs?: number;
  highWaterBytes?: number;
}

export class PageOutbox {
  /** events before the deltas now merging, in order (each run of deltas already taken out of the coalescer) */
  private readonly queue: Queued[] = [];
  private readonly deltas = new DeltaCoalescer();
  private timer: NodeJS.Timeout | undefined;
  private lastFlushAt = -Infinity;
  private closed = false;
  private readonly frameMs: number;
  private readonly highWater: number;

  constructor(private readonly options: PageOutboxOptions) {
    this.frameMs = options.frameMs ?? FRAME_MS;
    this.highWater = options.highWaterBytes ?? HIGH_WATER_BYTES;
  }

  /** Nodes and removals of the deltas now waiting (bounded by the nodes that changed). */
  get waitingNodes(): number {
    return this.deltas.size + this.queue.reduce((n, q) => n + (q.event === 'inventory:delta' ? deltaSize(q.payload as EventMap['inventory:delta']) : 0), 0);
  }

  push<E extends EventName>(event: E, payload: EventMap[E]): void {
    if (this.closed) return;
    if (event === 'inventory:delta') this.deltas.add(payload as EventMap['inventory:delta']);
    else {
      this.takeDeltas();
      this.queue.push({ event, payload });
    }
    this.schedule();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.deltas.take();
  }

  private takeDeltas(): void {
    for (const delta of this.deltas.take()) this.queue.push({ event: 'inventory:delta', payload: delta });
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    const wait = Math.max(0, this.lastFlushAt + this.frameMs - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.options.backlog() > this.highWater) {
      // the page is behind: let the deltas merge a frame longer
      this.lastFlushAt = performance.now();
      this.schedule();
      return;
    }
    this.lastFlushAt = performance.now();
    this.takeDeltas();
    for (const { event, payload } of this.queue.splice(0)) this.options.send(event, payload);
  }
}

function deltaSize(delta: EventMap['inventory:delta']): number {
  return delta.upsert.length + delta.remove.length;
}
