// A guest's snapshot list read when its Snapshots tab opens (issue 17): a platform that
// fills the lists in after the tree (Proxmox VE) marks the guest `snapshotsPending`; the
// tab asks the core for that one list and says it is reading instead of "no snapshots".
import type { ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { ask, type Answer } from '../migration/migration-requests';
import { getClient } from '../client';

/** What the Snapshots tab shows where the tree would be. */
export type SnapshotListView = 'list' | 'none' | 'reading' | 'failed';

export function snapshotListView(vm: Pick<InventoryNode, 'snapshotsPending'>, snapshotCount: number, readError: ErrorInfo | null): SnapshotListView {
  if (vm.snapshotsPending) return readError ? 'failed' : 'reading';
  return snapshotCount === 0 ? 'none' : 'list';
}

/** Asks the core to read the guest's list now; its snapshot nodes come as an inventory delta. */
export function readSnapshotList(nodeId: string): Promise<Answer<void>> {
  return ask(() => getClient().client.invoke('snapshots:readList', nodeId));
}
