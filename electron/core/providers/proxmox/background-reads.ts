// The snapshot lists read after a cluster's tree is published (the load's background
// fill, one request per guest: PVE has no bulk form) share a few slots across every
// Proxmox VE server in the process. At start, 25 clusters each reading 16 lists at
// once put 400 requests in flight while the other servers were still loading; the
// tree is complete without the lists (PVE's own UI reads a guest's snapshots only when
// its Snapshots tab opens), so they wait their turn. Reads a user or a task asks for
// (a snapshot action, a changed guest) do not queue here.

/** Background snapshot-list reads in flight at once, over all Proxmox VE servers. */
export const BACKGROUND_READS_AT_ONCE = 4;

export class SharedSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(limit: number) {
    this.free = Math.max(1, Math.floor(limit));
  }

  /** Runs `fn` when a slot is free (first come, first served); the slot is given back when it settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

export const backgroundSnapshotReads = new SharedSlots(BACKGROUND_READS_AT_ONCE);
