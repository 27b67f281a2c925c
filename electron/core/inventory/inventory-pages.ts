// The inventory handed out in pages (issue 17, `inventory:page`): the first page takes
// the list of nodes as it is now; the later ones read the same list, so a node is neither
// missed nor sent twice while the inventory changes. A list is dropped once every node was
// served, or when nobody asked for a page of it for a while. The nodes others hang under
// (servers, pools, hosts, …) come before the guests and snapshots, so the window can place
// each later page's guests under hosts it already has (patched in, not rebuilt).
import { randomUUID } from 'node:crypto';
import { PolyvisorError } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { LEAF_KINDS } from '../../../shared/leaf-kinds';
import type { InventoryPage } from '../../../shared/channels/tree';

/** The nodes with the ones others hang under first, each part in its own order. */
export function parentsFirst(nodes: readonly InventoryNode[]): InventoryNode[] {
  const parents: InventoryNode[] = [];
  const leaves: InventoryNode[] = [];
  for (const node of nodes) (LEAF_KINDS.has(node.kind) ? leaves : parents).push(node);
  for (const leaf of leaves) parents.push(leaf);
  return parents;
}

interface Snapshot {
  nodes: InventoryNode[];
  served: number;
  timer: NodeJS.Timeout;
}

export class InventoryPages {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly all: () => InventoryNode[],
    private readonly idleMs = 60_000,
  ) {}

  page(snapshotId: string | null, offset: number, limit: number): InventoryPage {
    const id = snapshotId ?? randomUUID();
    const snapshot = snapshotId === null ? this.take(id) : this.snapshots.get(snapshotId);
    if (!snapshot) throw new PolyvisorError({ code: 'NOT_FOUND', message: 'The inventory being loaded in pages is gone (loaded completely or idle too long); ask for the first page again' });
    const nodes = snapshot.nodes.slice(offset, offset + limit);
    snapshot.served += nodes.length;
    if (snapshot.served >= snapshot.nodes.length) this.drop(id);
    else snapshot.timer.refresh();
    return { snapshot: id, offset, total: snapshot.nodes.length, nodes };
  }

  /** Drops every list (the core is stopping). */
  close(): void {
    for (const id of [...this.snapshots.keys()]) this.drop(id);
  }

  private take(id: string): Snapshot {
    const timer = setTimeout(() => this.drop(id), this.idleMs);
    timer.unref();
    const snapshot = { nodes: parentsFirst(this.all()), served: 0, timer };
    this.snapshots.set(id, snapshot);
    return snapshot;
  }

  private drop(id: string): void {
    const snapshot = this.snapshots.get(id);
    if (!snapshot) return;
    clearTimeout(snapshot.timer);
    this.snapshots.delete(id);
  }
}
