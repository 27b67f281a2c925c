// Remembers the nodes last sent, grouped by the object they come from (an owner:
// a VM owns its node and its snapshot nodes, a Proxmox guest its snapshots), and
// turns fresh mappings into deltas: only nodes whose content changed are upserted,
// vanished ones removed. Volatile properties (uptime, …) are carried in the nodes
// but ignored when deciding whether a node changed.

import type { InventoryDelta, InventoryNode } from '../../../../shared/model';

/** owner key → the nodes it maps to */
export type NodesByOwner = Map<string, InventoryNode[]>;

export interface NodeDifferOptions {
  /** props that change all the time and alone are no reason to send a node */
  volatileProps?: readonly string[];
}

export class NodeDiffer {
  private sent = new Map<string, Map<string, string>>();
  private readonly volatile: ReadonlySet<string>;

  constructor(
    private readonly serverId: string,
    options: NodeDifferOptions = {},
  ) {
    this.volatile = new Set(options.volatileProps ?? []);
  }

  /** Everything, replacing what consumers had. */
  reset(all: NodesByOwner): InventoryDelta {
    this.sent = new Map();
    const upsert: InventoryNode[] = [];
    for (const [owner, nodes] of all) {
      this.sent.set(owner, new Map(nodes.map((n) => [n.id, this.signature(n)])));
      upsert.push(...nodes);
    }
    return { serverId: this.serverId, reset: true, upsert: parentsFirst(upsert), remove: [] };
  }

  /** Compares everything: owners missing from `all` are gone. Null when nothing changed. */
  diffAll(all: NodesByOwner): InventoryDelta | null {
    const changes: NodesByOwner = new Map(all);
    for (const owner of this.sent.keys()) if (!all.has(owner)) changes.set(owner, []);
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
        const sig = this.signature(n);
        after.set(n.id, sig);
        if (before.get(n.id) !== sig) upsert.push(n);
      }
      for (const id of before.keys()) if (!after.has(id)) remove.push(id);
      if (nodes.length) this.sent.set(owner, after);
      else this.sent.delete(owner);
    }
    // a node that moved from one owner to another is upserted, not removed
    const upserted = new Set(upsert.map((n) => n.id));
    const removed = remove.filter((id) => !upserted.has(id));
    return upsert.length || removed.length ? { serverId: this.serverId, upsert: parentsFirst(upsert), remove: removed } : null;
  }

  /** True once reset() has run and the consumers hold something. */
  get primed(): boolean {
    return this.sent.size > 0;
  }

  private signature(n: InventoryNode): string {
    if (this.volatile.size === 0) return JSON.stringify(n);
    const props: Record<string, unknown> = {};
    for (const key of Object.keys(n.props)) if (!this.volatile.has(key)) props[key] = n.props[key];
    return JSON.stringify({ ...n, props });
  }
}

const KIND_ORDER: Record<string, number> = { pool: 0, cluster: 1, host: 2, project: 3, vm: 4, container: 4, template: 4, snapshot: 5 };

/** Parents before children, so a consumer never sees a node whose parent it does not know yet. */
function parentsFirst(nodes: InventoryNode[]): InventoryNode[] {
  return nodes.length < 2 ? nodes : nodes.sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9));
}
