// What is on a Proxmox VE storage (issue 16): GET /nodes/{node}/storage/{storage}/content,
// asked of a node that has the storage available, each volume with the guest its vmid
// names. A guest's RAM saved with a snapshot (`vm-100-state-<snapname>`) is a snapshot's.
// A VM's disk moves with POST …/qemu/{vmid}/move_disk (the old volume removed: delete=1).

import { PolyvisorError } from '../../../../shared/errors';
import type { StorageDisk } from '../../../../shared/storage';
import type { ActionResult, ProviderConfig, ProviderStorage, TaskReporter } from '../provider';
import { followTask, guestPath } from './actions';
import { readUpid } from './answers';
import { disksOf } from './guest-config';
import { readGuestConfig } from './guest-answers';
import { num, requireObjects, str } from './answers';
import type { PveClient } from './client';
import type { ClusterCache } from './cluster-cache';
import { guestId, guestName, parseGuestRef } from './model-map';
import { parseStorageRef } from './storage-nodes';
import { ProxmoxVmDisks } from './vm-disks';

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
  /** a guest's disks added, attached, grown, detached (vm-disks.ts) */
  readonly disks: ProxmoxVmDisks;

  constructor(private readonly deps: { client: PveClient; serverId: string; cache: () => ClusterCache; taskPollMs: number; log?: ProviderConfig['log'] }) {
    this.disks = new ProxmoxVmDisks(deps);
  }

  /** move_disk of a VM's disk (diskId = its volume, as the guest's settings list it) to the storage with this ref. */
  async moveDisk(guest: { nativeRef: string; kind: string }, diskId: string, storageRef: string, task: TaskReporter): Promise<ActionResult> {
    const ref = parseGuestRef(guest.nativeRef);
    if (!ref || ref.snapname) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No guest ${guest.nativeRef}.` });
    if (ref.type === 'lxc') throw new PolyvisorError({ code: 'UNSUPPORTED', message: "A container's volume moves with move_volume, which Polyvisor does not use yet." });
    const resource = this.deps.cache().guest(guest.nativeRef);
    if (!resource) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${ref.vmid} is no longer in the cluster.` });
    const { node, storage } = parseStorageRef(storageRef);
    if (node && node !== resource.node) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'storageId', message: `Storage ${storage} of node ${node} cannot hold a disk of a VM on ${resource.node}.` });
    const path = guestPath({ node: resource.node, type: 'qemu', vmid: ref.vmid });
    const disk = disksOf('qemu', await this.deps.client.get(`${path}/config`, readGuestConfig)).find((d) => d.id === diskId);
    if (!disk?.device) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'diskId', message: `${guestName(resource)} has no disk ${diskId}.` });
    const upid = await this.deps.client.post(`${path}/move_disk`, readUpid, { disk: disk.device, storage, delete: 1 });
    await followTask(this.deps.client, upid, task, this.deps.taskPollMs, 3, this.deps.log);
    return {};
  }

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
