// What may be asked of which inventory item, checked before any task starts.
//
// Policy: an action runs when the node's `allowed` list (reported by the server)
// contains it. One exception: snapshot actions on a node whose `allowed` list is
// empty go through, and the server has the last word. Some platforms cannot say in
// advance whether a snapshot may be taken or reverted (Docker, vSphere snapshot
// objects), and their providers leave the list empty rather than guess; the server's
// own error then comes back on the task with its code.

import type { ActionParams, ActionRequest } from '../../../shared/contract';
import type { ActionName, InventoryNode, NodeKind } from '../../../shared/model';
import { POWER_ACTIONS } from '../../../shared/model';
import { invalid, requireObject } from '../util/input';

const ACTIONS: readonly ActionName[] = [...POWER_ACTIONS, 'snapshot_create', 'snapshot_revert', 'snapshot_delete', 'destroy'];

const TARGET_KINDS: Record<'snapshot_create' | 'snapshot_revert' | 'snapshot_delete', readonly NodeKind[]> = {
  snapshot_create: ['vm', 'container'],
  snapshot_revert: ['snapshot'],
  // on a VM: delete its whole snapshot tree, where the platform allows it (vSphere RemoveAllSnapshots)
  snapshot_delete: ['snapshot', 'vm'],
};

const MAX_NODES = 1000;

export function checkActionRequest(raw: unknown): ActionRequest {
  const r = requireObject(raw, 'request');
  if (!Array.isArray(r.nodeIds) || r.nodeIds.length === 0 || !r.nodeIds.every((id) => typeof id === 'string' && id)) {
    throw invalid('nodeIds must be a non-empty list of inventory ids.');
  }
  if (r.nodeIds.length > MAX_NODES) throw invalid(`At most ${MAX_NODES} items per action.`);
  if (new Set(r.nodeIds).size !== r.nodeIds.length) throw invalid('nodeIds lists the same item twice.');
  if (typeof r.action !== 'string' || !ACTIONS.includes(r.action as ActionName)) {
    throw invalid(`Unknown action ${JSON.stringify(r.action)}; expected one of ${ACTIONS.join(', ')}.`);
  }
  const params = r.params === undefined ? undefined : checkParams(r.params);
  return { nodeIds: r.nodeIds as string[], action: r.action as ActionName, params };
}

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

function checkParams(raw: unknown): ActionParams {
  const p = requireObject(raw, 'params');
  const out: ActionParams = {};
  for (const key of ['name', 'description'] as const) {
    if (p[key] === undefined) continue;
    if (typeof p[key] !== 'string' || (p[key] as string).length > 1024) throw invalid(`${key} must be a string of at most 1024 characters.`);
    out[key] = p[key] as string;
  }
  for (const key of ['memory', 'quiesce', 'includeVolumes', 'withChildren'] as const) {
    if (p[key] === undefined) continue;
    if (typeof p[key] !== 'boolean') throw invalid(`${key} must be true or false.`);
    out[key] = p[key] as boolean;
  }
  const unknown = Object.keys(p).filter((k) => !['name', 'description', 'memory', 'quiesce', 'includeVolumes', 'withChildren'].includes(k));
  if (unknown.length) throw invalid(`Unknown action parameter(s): ${unknown.join(', ')}.`);
  return out;
}
