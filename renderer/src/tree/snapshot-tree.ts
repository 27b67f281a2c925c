// A VM's snapshots as a tree (by parentSnapshotId), with the VM's own position ("you are here").
import type { InventoryNode } from '../../../shared/model';

export type SnapshotRow =
  | { type: 'snapshot'; node: InventoryNode; depth: number }
  | { type: 'here'; depth: number };

const byTime = (a: InventoryNode, b: InventoryNode) =>
  (a.snapshot?.time ?? '').localeCompare(b.snapshot?.time ?? '') || a.name.localeCompare(b.name);

export function snapshotRows(vm: InventoryNode, snapshots: InventoryNode[]): SnapshotRow[] {
  const ids = new Set(snapshots.map((s) => s.id));
  const children = new Map<string | null, InventoryNode[]>();
  for (const snap of snapshots) {
    const parent = snap.snapshot?.parentSnapshotId;
    const key = parent && ids.has(parent) ? parent : null;
    const list = children.get(key);
    if (list) list.push(snap);
    else children.set(key, [snap]);
  }
  for (const list of children.values()) list.sort(byTime);
  const current = vm.currentSnapshotId && ids.has(vm.currentSnapshotId) ? vm.currentSnapshotId : null;

  const rows: SnapshotRow[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const snap of children.get(parent) ?? []) {
      rows.push({ type: 'snapshot', node: snap, depth });
      visit(snap.id, depth + 1);
    }
    if (parent === current) rows.push({ type: 'here', depth });
  };
  visit(null, 0);
  return rows;
}
