// A guest's disks changed (issue 16), as the Proxmox VE UI does it: a new disk is the
// next free `scsiN` (a container's `mpN`, mounted at /mnt/mpN) set to `<storage>:<GiB>`;
// a detached disk stays on its storage as `unusedN` (`delete=scsiN`), removed with
// `force=1` or by deleting the `unusedN`; attaching one sets the next key to its volume;
// a disk grows with PUT …/resize (a size in bytes). A running VM hot-plugs scsi and
// virtio disks where its `hotplug` has `disk`; otherwise PVE keeps the change pending.

import { PolyvisorError } from '../../../../shared/errors';
import type { FreeDisk } from '../../../../shared/disks';
import type { ActionResult, ProviderConfig, TaskReporter } from '../provider';
import type { ProviderDisks } from '../provider-disks';
import type { GuestTarget } from '../provider-networks';
import { followTask, guestPath } from './actions';
import { num, readNothing, readUpid, requireObjects, str } from './answers';
import type { PveClient } from './client';
import type { ClusterCache } from './cluster-cache';
import { disksOf, splitDrive } from './guest-config';
import { readGuestConfig, type PveConfig } from './guest-answers';
import { guestName, parseGuestRef, type GuestType } from './model-map';
import { parseStorageRef } from './storage-nodes';

const MiB = 1024 ** 2;
const UNUSED = /^unused\d+$/;

interface Deps {
  client: PveClient;
  cache: () => ClusterCache;
  taskPollMs: number;
  log?: ProviderConfig['log'];
}

/** PVE's new-volume size: GiB, to the MiB ("0.5", "32"). */
export function gibOf(bytes: number): string {
  return String(Math.ceil(bytes / MiB) / 1024);
}

/** The lowest key of the bus the config does not use: scsiN for a VM, mpN for a container. */
function freeDiskKey(type: GuestType, cfg: PveConfig): string {
  const prefix = type === 'qemu' ? 'scsi' : 'mp';
  for (let n = 0; ; n++) if (cfg[`${prefix}${n}`] === undefined) return `${prefix}${n}`;
}

function diskValue(type: GuestType, key: string, volume: string): string {
  return type === 'qemu' ? volume : `${volume},mp=/mnt/${key}`;
}

export class ProxmoxVmDisks implements ProviderDisks {
  constructor(private readonly deps: Deps) {}

  /** The guest's unusedN volumes, with their sizes as its node's storage lists them. */
  async attachable(target: GuestTarget): Promise<FreeDisk[]> {
    const g = this.guestOf(target);
    const cfg = await this.config(g);
    const unused = Object.keys(cfg).filter((k) => UNUSED.test(k)).map((k) => splitDrive(cfg[k]!).file);
    const storages = [...new Set(unused.map((v) => v.slice(0, v.indexOf(':'))))];
    const sizes = new Map<string, number>();
    for (const storage of storages) {
      const entries = await this.deps.client.get(`/nodes/${encodeURIComponent(g.node)}/storage/${encodeURIComponent(storage)}/content`, (d, w) => requireObjects(d, w));
      for (const e of entries) sizes.set(str(e.volid) ?? '', num(e.size) ?? 0);
    }
    return unused.map((volid) => ({ id: volid, name: volid.slice(volid.indexOf(':') + 1), sizeBytes: sizes.get(volid) ?? 0, storageName: volid.slice(0, volid.indexOf(':')) }));
  }

  add(target: GuestTarget, disk: { storageRef: string; sizeBytes: number; name: string }, task: TaskReporter): Promise<ActionResult> {
    return this.change(target, task, (cfg, g) => {
      const { node, storage } = parseStorageRef(disk.storageRef);
      if (node && node !== g.node) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'storageId', message: `Storage ${storage} of node ${node} cannot hold a disk of a guest on ${g.node}.` });
      const key = freeDiskKey(g.type, cfg);
      return { [key]: diskValue(g.type, key, `${storage}:${gibOf(disk.sizeBytes)}`) };
    });
  }

  attach(target: GuestTarget, diskId: string, task: TaskReporter): Promise<ActionResult> {
    return this.change(target, task, (cfg, g) => {
      if (!Object.keys(cfg).some((k) => UNUSED.test(k) && splitDrive(cfg[k]!).file === diskId)) {
        throw new PolyvisorError({ code: 'NOT_FOUND', field: 'diskId', message: `${diskId} is not an unused disk of ${g.name}.` });
      }
      const key = freeDiskKey(g.type, cfg);
      return { [key]: diskValue(g.type, key, diskId) };
    });
  }

  async resize(target: GuestTarget, diskId: string, sizeBytes: number, task: TaskReporter): Promise<ActionResult> {
    const g = this.guestOf(target);
    const key = this.deviceOf(g, await this.config(g), diskId);
    if (UNUSED.test(key)) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'diskId', message: `${diskId} is not attached (${key}): attach it to resize it.` });
    const upid = await this.deps.client.put(`${this.pathOf(g)}/resize`, readUpid, { disk: key, size: String(sizeBytes) });
    await followTask(this.deps.client, upid, task, this.deps.taskPollMs, 3, this.deps.log);
    return {};
  }

  detach(target: GuestTarget, diskId: string, deleteDisk: boolean, task: TaskReporter): Promise<ActionResult> {
    return this.change(target, task, (cfg, g) => {
      const key = this.deviceOf(g, cfg, diskId);
      if (UNUSED.test(key) && !deleteDisk) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'diskId', message: `${diskId} is detached already (${key}).` });
      return { delete: key, ...(deleteDisk && !UNUSED.test(key) ? { force: 1 } : {}) };
    });
  }

  private async change(target: GuestTarget, task: TaskReporter, params: (cfg: PveConfig, g: Guest) => Record<string, string | number>): Promise<ActionResult> {
    const g = this.guestOf(target);
    const cfg = await this.config(g);
    const body = params(cfg, g);
    await this.deps.client.put(`${this.pathOf(g)}/config`, readNothing, { ...body, ...(typeof cfg.digest === 'string' ? { digest: cfg.digest } : {}) });
    task.progress(1);
    return {};
  }

  private deviceOf(g: Guest, cfg: PveConfig, diskId: string): string {
    const key = disksOf(g.type, cfg).find((d) => d.id === diskId)?.device;
    if (!key) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'diskId', message: `${g.name} has no disk ${diskId}.` });
    return key;
  }

  private guestOf(target: GuestTarget): Guest {
    const ref = parseGuestRef(target.nativeRef);
    const resource = ref && !ref.snapname ? this.deps.cache().guest(target.nativeRef) : undefined;
    if (!ref || !resource) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Guest ${target.nativeRef} is no longer in the cluster.` });
    return { type: ref.type, vmid: ref.vmid, node: resource.node, name: guestName(resource) };
  }

  private pathOf(g: Guest): string {
    return guestPath({ node: g.node, type: g.type, vmid: g.vmid });
  }

  private config(g: Guest): Promise<PveConfig> {
    return this.deps.client.get(`${this.pathOf(g)}/config`, readGuestConfig);
  }
}

interface Guest {
  type: GuestType;
  vmid: number;
  node: string;
  name: string;
}
