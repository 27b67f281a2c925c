// How a policy reads in the list: who runs it, its members' names, and whether it
// concerns the tree objects the view was opened for.
import type { TFunction } from 'i18next';
import type { ServerView } from '../../../shared/contract';
import type { SnapshotPolicy } from '../../../shared/schedules';
import { serverKey, type InventoryIndex } from '../tree/inventory-index';

/** "On the server Pool A" or "From this computer". */
export function runnerLabel(policy: SnapshotPolicy, servers: readonly ServerView[], t: TFunction): string {
  if (policy.runner.kind === 'polyvisor') return t('schedules.runsHere');
  const serverId = policy.runner.serverId;
  return t('schedules.runsOnServer', { server: servers.find((s) => s.id === serverId)?.name ?? serverId });
}

/** A member's name, or why it cannot be shown (its server is not connected, or it is gone). */
export function memberName(id: string, index: InventoryIndex, t: TFunction): string {
  return index.nodes.get(id)?.name ?? t('schedules.memberUnavailable', { id: id.slice(id.lastIndexOf(':') + 1) });
}

/** The tree keys above a node: its parents up to its server. */
function ancestry(id: string, index: InventoryIndex): string[] {
  const keys: string[] = [];
  let node = index.nodes.get(id);
  if (node) keys.push(serverKey(node.serverId));
  while (node) {
    keys.push(node.id);
    node = node.parentId ? index.nodes.get(node.parentId) : undefined;
  }
  return keys;
}

/** The policy snapshots something in `focus`: a member, a member's pool, host or server, or the server that runs it. */
export function policyConcerns(policy: SnapshotPolicy, focus: ReadonlySet<string>, index: InventoryIndex): boolean {
  if (policy.runner.kind === 'server' && focus.has(serverKey(policy.runner.serverId))) return true;
  return policy.members.some((id) => ancestry(id, index).some((key) => focus.has(key)));
}
