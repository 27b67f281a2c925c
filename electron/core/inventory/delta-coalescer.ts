// Inventory deltas merged while they wait to be sent: the latest version of each node wins,
// a removal cancels an earlier upsert, a reset drops everything before it. What waits is
// bounded by the number of nodes that changed, not by the number of changes, and applying
// the merged delta leaves a consumer where applying each delta in turn would (a reset clears
// the server's nodes, then removals, then upserts — renderer/src/tree/inventory-index.ts).

import type { InventoryDelta, InventoryNode } from '../../../shared/model';

interface Merged {
  reset: boolean;
  upsert: Map<string, InventoryNode>;
  remove: Set<string>;
}

export class DeltaCoalescer {
  /** server id → what waits for it, in the order the servers first came */
  private readonly servers = new Map<string, Merged>();
  private nodeCount = 0;

  /** Nodes and removals waiting, over every server. */
  get size(): number {
    return this.nodeCount;
  }

  get empty(): boolean {
    return this.servers.size === 0;
  }

  add(delta: InventoryDelta): void {
    let merged = this.servers.get(delta.serverId);
    if (!merged || delta.reset) {
      if (merged) this.nodeCount -= merged.upsert.size + merged.remove.size;
      merged = { reset: !!delta.reset, upsert: new Map(), remove: new Set() };
      this.servers.set(delta.serverId, merged);
    }
    const before = merged.upsert.size + merged.remove.size;
    for (const id of delta.remove) {
      merged.upsert.delete(id);
      merged.remove.add(id);
    }
    for (const node of delta.upsert) {
      merged.upsert.set(node.id, node);
      merged.remove.delete(node.id);
    }
    this.nodeCount += merged.upsert.size + merged.remove.size - before;
  }

  /** Everything waiting, one delta per server, and empty after. */
  take(): InventoryDelta[] {
    const out: InventoryDelta[] = [];
    for (const [serverId, m] of this.servers) {
      const delta: InventoryDelta = { serverId, upsert: [...m.upsert.values()], remove: [...m.remove] };
      if (m.reset) delta.reset = true;
      out.push(delta);
    }
    this.servers.clear();
    this.nodeCount = 0;
    return out;
  }
}
