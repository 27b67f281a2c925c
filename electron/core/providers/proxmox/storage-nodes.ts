// Proxmox VE storages as storage nodes (issue 16), from the `storage` entries of
// /cluster/resources (one entry per node that has the storage). A shared storage is
// one node under the cluster, attached to every node that lists it available; a local
// one is a node under its host. Native refs are the New VM wizard's storage choice
// ids: the name for a shared storage, `node/name` for a local one.

import type { InventoryNode } from '../../../../shared/model';
import type { StorageInfo } from '../../../../shared/storage';
import { nodeId } from '../../../../shared/model';
import { clusterId, hostId, type PveResource } from './model-map';

export const storageRef = (r: Pick<PveResource, 'storage' | 'node' | 'shared'>) => (r.shared ? r.storage! : `${r.node}/${r.storage}`);

export function parseStorageRef(ref: string): { node?: string; storage: string } {
  const slash = ref.indexOf('/');
  return slash < 0 ? { storage: ref } : { node: ref.slice(0, slash), storage: ref.slice(slash + 1) };
}

function infoOf(entries: PveResource[], serverId: string): StorageInfo {
  const first = entries[0]!;
  const size = first.maxdisk ?? null;
  const used = first.disk ?? null;
  return {
    type: first.plugintype ?? '',
    shared: !!first.shared,
    size,
    used,
    free: size !== null && used !== null ? Math.max(0, size - used) : null,
    hostIds: entries.filter((e) => e.status === 'available' && e.node).map((e) => hostId(serverId, e.node!)).sort(),
    content: (first.content ?? '').split(',').filter(Boolean).sort(),
  };
}

/** One node per local storage, one per shared storage (its entries merged). */
export function storageNodes(serverId: string, resources: PveResource[]): InventoryNode[] {
  const byRef = new Map<string, PveResource[]>();
  for (const r of resources) {
    if (r.type !== 'storage' || !r.storage || !r.node) continue;
    const ref = storageRef(r);
    byRef.set(ref, [...(byRef.get(ref) ?? []), r]);
  }
  return [...byRef].map(([ref, entries]) => {
    const first = entries[0]!;
    return {
      id: nodeId(serverId, 'storage', ref),
      serverId,
      kind: 'storage' as const,
      name: first.storage!,
      parentId: first.shared ? clusterId(serverId) : hostId(serverId, first.node!),
      nativeRef: ref,
      allowed: [],
      props: {},
      storage: infoOf(entries, serverId),
    };
  });
}
