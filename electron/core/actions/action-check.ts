// What may be asked of which inventory item, checked before any task starts (the
// request's shape is checked by the contract's schema before it gets here).
//
// Policy: an action runs when the node's `allowed` list (reported by the server)
// contains it. One exception: snapshot actions on a node whose `allowed` list is
// empty go through, and the server has the last word. Some platforms cannot say in
// advance whether a snapshot may be taken or reverted (Docker, vSphere snapshot
// objects), and their providers leave the list empty rather than guess; the server's
// own error then comes back on the task with its code.

import { PolyvisorError } from '../../../shared/errors';
import type { ActionName, InventoryNode, NodeKind } from '../../../shared/model';

const TARGET_KINDS: Record<'snapshot_create' | 'snapshot_revert' | 'snapshot_delete', readonly NodeKind[]> = {
  snapshot_create: ['vm', 'container'],
  snapshot_revert: ['snapshot'],
  // on a VM: delete its whole snapshot tree, where the platform allows it (vSphere RemoveAllSnapshots)
  snapshot_delete: ['snapshot', 'vm'],
};

export function checkAction(node: InventoryNode, action: ActionName): void {
  const isSnapshotAction = action === 'snapshot_create' || action === 'snapshot_revert' || action === 'snapshot_delete';
  if (isSnapshotAction && !TARGET_KINDS[action].includes(node.kind)) {
    throw invalid(`${action.replace('_', ' ')} does not apply to ${node.kind} "${node.name}".`);
  }
  if (node.allowed.includes(action)) return;
  if (isSnapshotAction && node.allowed.length === 0) return;
  const allowed = node.allowed.length ? `allowed now: ${node.allowed.join(', ')}` : 'no action is allowed on it now';
  throw invalid(`"${action}" is not allowed on ${node.kind} "${node.name}" (${allowed}).`);
}

function invalid(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message });
}
