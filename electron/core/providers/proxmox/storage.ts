// What is on a Proxmox VE storage (issue 16): GET /nodes/{node}/storage/{storage}/content,
// asked of a node that has the storage available, each volume with the guest its vmid
// names. A guest's RAM saved with a snapshot (`vm-100-state-<snapname>`) is a snapshot's.

import { PolyvisorError } from '../../../../shared/errors';
import type { StorageDisk } from '../../../../shared/storage';
import type { ProviderStorage } from '../provider';
import { num, requireObjects, str } from './answers';
import type { PveClient } from './client';
import type { ClusterCache } from './cluster-cache';
import { guestId, guestName } from './model-map';
import { parseStorageRef } from './storage-nodes';

interface ContentEntry {
  volid: string;
  content: string;
  size: number | null;
  used: number | null;
  vmid?: number;
}

function readContent(data: unknown, where: string): ContentEntry[] {
  return requireObjects(data, where).flatMap((e) => {
    const volid = str(e.volid);
    if (!volid) return [];
    const vmid = num(e.vmid);
    return [{ volid, content: str(e.content) ?? '', size: num(e.size) ?? null, used: num(e.used) ?? null, ...(vmid !== undefined ? { vmid } : {}) }];
  });
}

const SNAPSHOT_STATE = /^[^:]+:(?:[^/]+\/)?vm-\d+-state-/;

export class ProxmoxStorage implements ProviderStorage {
  constructor(private readonly deps: { client: PveClient; serverId: string; cache: () => ClusterCache }) {}

  async contents(ref: string): Promise<StorageDisk[]> {
    const { node, storage } = parseStorageRef(ref);
    const on = node ?? this.nodeWith(storage);
    const path = `/nodes/${encodeURIComponent(on)}/storage/${encodeURIComponent(storage)}/content`;
    const entries = await this.deps.client.get(path, readContent);
    const cache = this.deps.cache();
    const guests = new Map<number, { id: string; name: string }>();
    for (const guestRef of cache.guestRefs()) {
      const g = cache.guest(guestRef)!;
      guests.set(Number(g.vmid), { id: guestId(this.deps.serverId, g), name: guestName(g) });
    }
    return entries
      .map((e) => {
        const user = e.vmid !== undefined ? guests.get(e.vmid) : undefined;
        return {
          ref: e.volid,
          name: e.volid.slice(e.volid.indexOf(':') + 1),
          size: e.size,
          used: e.used,
          snapshot: SNAPSHOT_STATE.test(e.volid),
          content: e.content === 'images' || e.content === 'rootdir' ? 'disk' : e.content,
          usedBy: user ? [user] : [],
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A shared storage is read through the first online node that has it available. */
  private nodeWith(storage: string): string {
    const node = this.deps
      .cache()
      .storageEntries()
      .find((e) => e.storage === storage && e.status === 'available' && e.node)?.node;
    if (!node) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `No node has storage ${storage} available now.` });
    return node;
  }
}
