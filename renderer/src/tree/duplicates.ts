// Servers that reach the same thing twice: the same address, or (once connected) the
// same pool, which the user may have added once by its master and once by a member.
import type { ProviderDescriptor } from '../../../shared/descriptor';
import type { ServerView } from '../../../shared/contract';
import { serverDisplay } from '../providers/descriptors';
import type { InventoryIndex } from './inventory-index';

export interface Duplicate {
  /** the other server's name */
  other: string;
  why: 'address' | 'pool';
}

/** The saved server (other than `exceptId`) of this type at this display address, if any. */
export function serverAtAddress(servers: readonly ServerView[], type: string, address: string, descriptor: ProviderDescriptor | undefined, exceptId?: string): ServerView | undefined {
  const wanted = address.trim().toLowerCase();
  if (!wanted) return undefined;
  return servers.find((s) => s.id !== exceptId && s.type === type && serverDisplay(s, descriptor).address.toLowerCase() === wanted);
}

/** Each server that duplicates an earlier one in the list, with the earlier one's name. */
export function duplicateServers(servers: readonly ServerView[], index: InventoryIndex, descriptorOf: (type: string) => ProviderDescriptor | undefined): Map<string, Duplicate> {
  const poolsOf = new Map<string, string[]>();
  for (const node of index.nodes.values()) {
    const uuid = node.kind === 'pool' ? node.props.uuid : undefined;
    if (typeof uuid === 'string' && uuid) poolsOf.set(node.serverId, [...(poolsOf.get(node.serverId) ?? []), uuid]);
  }
  const out = new Map<string, Duplicate>();
  const firstByAddress = new Map<string, ServerView>();
  const firstByPool = new Map<string, ServerView>();
  for (const server of servers) {
    const address = `${server.type}\u0000${serverDisplay(server, descriptorOf(server.type)).address.toLowerCase()}`;
    const earlier = firstByAddress.get(address);
    if (earlier) out.set(server.id, { other: earlier.name, why: 'address' });
    else firstByAddress.set(address, server);
    for (const uuid of poolsOf.get(server.id) ?? []) {
      const first = firstByPool.get(uuid);
      if (!first) firstByPool.set(uuid, server);
      else if (!out.has(server.id)) out.set(server.id, { other: first.name, why: 'pool' });
    }
  }
  return out;
}
