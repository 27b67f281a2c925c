// Remembers the nodes last sent, grouped by the object they come from (an owner:
// a VM owns its node and its snapshot nodes, a Proxmox guest its snapshots), and
// turns fresh mappings into deltas: only nodes whose content changed are upserted,
// vanished ones removed. Volatile properties (uptime, …) are carried in the nodes
// but ignored when deciding whether a node changed. Nodes handed in are kept as they
// are (consumers hold the same objects): a provider never mutates a node it has emitted.

import type { InventoryDelta, InventoryNode } from '../../../../shared/model';

/** owner key → the nodes it maps to */
export type NodesByOwner = Map<string, InventoryNode[]>;

export interface NodeDifferOptions {
  /** props that change all the time and alone are no reason to send a node */
  volatileProps?: readonly string[];
}

export class NodeDiffer {
  /** owner → the nodes consumers hold (the objects themselves: comparing them field by field beats serialising them) */
  private sent = new Map<string, InventoryNode[]>();
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
      this.sent.set(owner, nodes);
      for (const n of nodes) upsert.push(n);
    }
    return { serverId: this.serverId, reset: true, upsert: parentsFirst(upsert), remove: [] };
  }

  /**
   * reset() for a caller that built `all` fresh (in slices), with `upsert` every node of it
   * in the map's order: the map is kept as it is (the caller hands it over), not copied.
   */
  resetTaking(all: NodesByOwner, upsert: InventoryNode[]): InventoryDelta {
    this.sent = all;
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
      const before = this.sent.get(owner);
      if (!before) {
        for (const n of nodes) upsert.push(n);
      } else if (before.length === 1 && nodes.length === 1 && before[0].id === nodes[0].id) {
        // the common case (one node per owner) without building a map
        if (!this.same(before[0], nodes[0])) upsert.push(nodes[0]);
      } else {
        const previous = new Map(before.map((n) => [n.id, n]));
        for (const n of nodes) {
          const old = previous.get(n.id);
          if (!old || !this.same(old, n)) upsert.push(n);
          previous.delete(n.id);
        }
        for (const id of previous.keys()) remove.push(id);
      }
      if (nodes.length) this.sent.set(owner, nodes);
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

  /** Equal for consumers: every field the same, volatile props aside. */
  private same(a: InventoryNode, b: InventoryNode): boolean {
    if (a === b) return true;
    for (const key in a) {
      if (key === 'props') continue;
      if (!sameValue(a[key as keyof InventoryNode], b[key as keyof InventoryNode])) return false;
    }
    for (const key in b) if (key !== 'props' && !(key in a) && b[key as keyof InventoryNode] !== undefined) return false;
    return sameProps(a.props, b.props, this.volatile);
  }
}

function sameProps(a: InventoryNode['props'], b: InventoryNode['props'], volatile: ReadonlySet<string>): boolean {
  let count = 0;
  for (const key in a) {
    if (volatile.has(key) || a[key] === undefined) continue;
    count++;
    if (!sameValue(a[key], b[key])) return false;
  }
  for (const key in b) if (!volatile.has(key) && b[key] !== undefined) count--;
  return count === 0;
}

/** Deep equality for plain JSON-like data (what nodes are made of); undefined fields count as absent. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const key in ra) {
    if (ra[key] === undefined) continue;
    count++;
    if (!sameValue(ra[key], rb[key])) return false;
  }
  for (const key in rb) if (rb[key] !== undefined) count--;
  return count === 0;
}

const KIND_ORDER: Record<string, number> = { pool: 0, cluster: 1, host: 2, project: 3, vm: 4, container: 4, template: 4, snapshot: 5 };

/** Parents before children, so a consumer never sees a node whose parent it does not know yet. */
function parentsFirst(nodes: InventoryNode[]): InventoryNode[] {
  return nodes.length < 2 ? nodes : nodes.sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9));
}
