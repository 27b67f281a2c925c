// Which storage node a guest's disk is on, from what the server says of the disk (its
// storage's name; a Docker volume is its own storage). Names may repeat (XAPI's "Local
// storage" of each host): the one the guest's host is attached to wins, then a shared one.
import type { GuestDisk } from '../../../shared/guests';
import type { InventoryNode } from '../../../shared/model';

export function storageOfDisk(disk: GuestDisk, guest: InventoryNode, nodes: Iterable<InventoryNode>): InventoryNode | undefined {
  const candidates: InventoryNode[] = [];
  for (const n of nodes) {
    if (n.serverId !== guest.serverId) continue;
    if (n.kind === 'volume' && n.nativeRef === disk.id) return n;
    if (n.kind === 'storage' && disk.storageName !== undefined && n.name === disk.storageName) candidates.push(n);
  }
  const host = hostOf(guest, nodes);
  return candidates.find((n) => host && n.storage?.hostIds.includes(host)) ?? candidates.find((n) => n.storage?.shared) ?? candidates[0];
}

/** The guest's host: the nearest host above it in the tree (a halted XAPI VM has none). */
export function hostOf(guest: InventoryNode, nodes: Iterable<InventoryNode>): string | undefined {
  const byId = new Map<string, InventoryNode>();
  for (const n of nodes) byId.set(n.id, n);
  for (let p = guest.parentId ? byId.get(guest.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined) if (p.kind === 'host') return p.id;
  return undefined;
}
