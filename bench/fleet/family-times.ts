// When each family of servers (XAPI, Proxmox VE, vSphere, Docker) was live at start: the
// moment its last server turned connected, and its guests then. And when the snapshot
// nodes stopped arriving: Proxmox VE lists are read after the tree is published (one
// request per guest), so "tree complete" counts hosts and guests, and this says how
// long the snapshots took on top.
import type { PolyvisorCore } from '../../electron/core/app-core';
import type { HypervisorType } from '../../shared/model';

export class FamilyTimes {
  private readonly typeOf = new Map<string, HypervisorType>();
  private readonly connectedAt = new Map<string, number>();
  private lastSnapshotAt = NaN;
  private snapshotsSeen = 0;
  private readonly offs: Array<() => void> = [];

  constructor(core: PolyvisorCore, private readonly t0: number, private readonly now: () => number) {
    this.offs.push(
      core.on('server:changed', (s) => {
        this.typeOf.set(s.id, s.type);
        if (s.state === 'connected' && !this.connectedAt.has(s.id)) this.connectedAt.set(s.id, this.now());
      }),
      core.on('inventory:delta', (d) => {
        let snapshots = 0;
        for (const n of d.upsert) if (n.kind === 'snapshot') snapshots++;
        if (!snapshots) return;
        this.snapshotsSeen += snapshots;
        this.lastSnapshotAt = this.now();
      }),
    );
  }

  /** "xenserver ×13 3.9 s; 5.9 s, proxmox ×5 …": when the first and the last server of each family turned connected. */
  summary(): string {
    const byType = new Map<HypervisorType, number[]>();
    for (const [id, at] of this.connectedAt) {
      const type = this.typeOf.get(id);
      if (type) byType.set(type, [...(byType.get(type) ?? []), at]);
    }
    return [...byType]
      .map(([type, times]) => `${type} ×${times.length} ${this.secs(Math.min(...times))}; ${this.secs(Math.max(...times))}`)
      .join(', ');
  }

  /** Resolves once no snapshot node has arrived for `quietMs` (or `capMs` after the call): when the last one came. */
  async snapshotsSettled(quietMs: number, capMs: number): Promise<string> {
    const cap = this.now() + capMs;
    while (this.now() < cap && !(this.now() - (this.lastSnapshotAt || 0) >= quietMs)) await new Promise((r) => setTimeout(r, 250));
    const settled = this.now() < cap;
    return `${this.snapshotsSeen} snapshot nodes in deltas, the last at ${this.secs(this.lastSnapshotAt)}${settled ? '' : ` (still arriving after ${capMs / 1000} s more)`}`;
  }

  stop(): void {
    for (const off of this.offs) off();
  }

  private secs(at: number): string {
    return Number.isFinite(at) ? `${((at - this.t0) / 1000).toFixed(1)} s` : '—';
  }
}
