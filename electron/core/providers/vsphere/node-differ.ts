// Remembers the nodes last sent, grouped by the managed object they come from
// (a VM owns its node and its snapshot nodes), and turns fresh mappings into
// deltas: only nodes whose content changed are upserted, vanished ones removed.
// A change to a few VMs re-maps and compares only those VMs.

import type { InventoryDelta, InventoryNode } from '../../../../shared/model';

/** owner key (managed object) → the nodes it maps to */
export type NodesByOwner = Map<string, InventoryNode[]>;

export class NodeDiffer {
  private sent = new Map<string, Map<string, string>>();

  constructor(private readonly serverId: string) {}

  reset(all: NodesByOwner): InventoryDelta {
    this.sent = new Map();
    const upsert: InventoryNode[] = [];
    for (const [owner, nodes] of all) {
      this.sent.set(owner, new Map(nodes.map((n) => [n.id, JSON.stringify(n)])));
      upsert.push(...nodes);
    }
    return { serverId: this.serverId, reset: true, upsert, remove: [] };
  }

  /** Compares everything: owners missing from `all` are gone. Null when nothing changed. */
  diffAll(all: NodesByOwner): InventoryDelta | null {
    const gone = [...this.sent.keys()].filter((owner) => !all.has(owner));
    const changes: NodesByOwner = new Map(all);
    for (const owner of gone) changes.set(owner, []);
    return this.diff(changes);
  }

  /** Compares only the given owners; an owner with no nodes is gone. Null when nothing changed. */
  diff(changed: NodesByOwner): InventoryDelta | null {
    const upsert: InventoryNode[] = [];
    const remove: string[] = [];
    for (const [owner, nodes] of changed) {
      const before = this.sent.get(owner) ?? new Map<string, string>();
      const after = new Map<string, string>();
      for (const n of nodes) {
        const json = JSON.stringify(n);
        after.set(n.id, json);
        if (before.get(n.id) !== json) upsert.push(n);
      }
      for (const id of before.keys()) if (!after.has(id)) remove.push(id);
      if (nodes.length) this.sent.set(owner, after);
      else this.sent.delete(owner);
    }
    // a node that moved from one owner to another is upserted, not removed
    const upserted = new Set(upsert.map((n) => n.id));
    const removed = remove.filter((id) => !upserted.has(id));
    return upsert.length || removed.length ? { serverId: this.serverId, upsert, remove: removed } : null;
  }
}
