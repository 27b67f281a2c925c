// Finds a saved server or an inventory node from what a user types: an exact
// id first, then the native ref or UUID, then the name. A name that matches
// several objects is an error that lists them, never a guess.

import type { ServerView } from '../../shared/contract';
import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode, NodeKind } from '../../shared/model';

export function findServer(servers: ServerView[], query: string): ServerView {
  const byId = servers.find((s) => s.id === query);
  if (byId) return byId;
  const byName = servers.filter((s) => s.name === query);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    throw ambiguous(`server name "${query}"`, byName.map((s) => `${s.id}  ${s.name} (${s.type} ${s.host}:${s.port})`));
  }
  const byHost = servers.filter((s) => s.host === query || `${s.host}:${s.port}` === query);
  if (byHost.length === 1) return byHost[0];
  if (byHost.length > 1) throw ambiguous(`server address "${query}"`, byHost.map((s) => `${s.id}  ${s.name}`));
  throw new PolyvisorError({
    code: 'NOT_FOUND',
    message: `No saved server "${query}".${servers.length ? ` Saved: ${servers.map((s) => s.name).join(', ')}` : ' No servers are saved yet: use "polyvisor server add".'}`,
  });
}

export const GUEST_KINDS: readonly NodeKind[] = ['vm', 'container', 'template'];

/** A VM, container or template; with `kinds` narrowed as needed. */
export function findNode(nodes: InventoryNode[], query: string, kinds: readonly NodeKind[], what: string): InventoryNode {
  const candidates = nodes.filter((n) => kinds.includes(n.kind));
  const byId = candidates.find((n) => n.id === query);
  if (byId) return byId;
  const byRef = candidates.filter((n) => n.nativeRef === query || n.props.uuid === query);
  if (byRef.length === 1) return byRef[0];
  const byName = candidates.filter((n) => n.name === query);
  if (byName.length === 1) return byName[0];
  const matches = byName.length > 1 ? byName : byRef;
  if (matches.length > 1) throw ambiguous(`${what} "${query}"`, matches.map((n) => describeNode(n, nodes)));
  throw new PolyvisorError({ code: 'NOT_FOUND', message: `No ${what} "${query}" in the inventory of the connected servers` });
}

/** Snapshots of one VM (by the snapshot's `ofId`), oldest first. */
export function snapshotsOf(nodes: InventoryNode[], vm: InventoryNode): InventoryNode[] {
  return nodes
    .filter((n) => n.kind === 'snapshot' && n.snapshot?.ofId === vm.id)
    .sort((a, b) => (a.snapshot?.time ?? '').localeCompare(b.snapshot?.time ?? '') || a.name.localeCompare(b.name));
}

export function describeNode(node: InventoryNode, nodes: InventoryNode[]): string {
  const owner = node.snapshot ? nodes.find((n) => n.id === node.snapshot!.ofId) : undefined;
  const parent = nodes.find((n) => n.id === node.parentId);
  const where = owner ? `of ${owner.name}` : parent ? `on ${parent.name}` : '';
  return `${node.id}  ${node.name}${where ? ` (${node.kind} ${where})` : ` (${node.kind})`}`;
}

function ambiguous(subject: string, candidates: string[]): PolyvisorError {
  return new PolyvisorError({
    code: 'INVALID_INPUT',
    message: `The ${subject} is ambiguous: it matches ${candidates.length} objects. Use one of these ids:\n  ${candidates.join('\n  ')}`,
  });
}
