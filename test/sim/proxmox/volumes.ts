// Volumes on the simulated storages: the guests' own (read from their
// configurations, as PVE's storage content lists what exists) and the loose
// ones (ISOs, container templates, disks no configuration names). New disks are
// allocated the way PVE's plugins name them: vm-<vmid>-disk-<n> on block
// storages, <vmid>/vm-<vmid>-disk-<n>.qcow2 on directories, subvol-… for
// containers on ZFS; a linked clone's disk names its base (base-…/vm-…).

import { SimHttpError } from './guest-ops';
import { guestVolumes } from './migrate-checks';
import type { ClusterState, SimGuest, SimStorage, SimVolume } from './state';

const GiB = 1024 ** 3;

export interface ListedVolume {
  volid: string;
  content: SimVolume['content'];
  format: string;
  size: number;
  vmid?: number;
  ctime?: number;
  parent?: string;
}

/** The storage `name` as `node` sees it (a shared one is seen from every node). */
export function storageOn(s: ClusterState, node: string, name: string): SimStorage | undefined {
  return s.storage.find((st) => st.storage === name && (st.node === node || st.shared));
}

export function requireStorage(s: ClusterState, node: string, name: string): SimStorage {
  const st = storageOn(s, node, name);
  if (!st) throw new SimHttpError(500, `storage '${name}' does not exist`);
  return st;
}

const contentOf = (st: SimStorage) => st.content.split(',');

/** Everything on one storage of one node: loose volumes and the guests' disks. */
export function storageContent(s: ClusterState, node: string, st: SimStorage): ListedVolume[] {
  const out = new Map<string, ListedVolume>();
  const here = (n: string) => st.shared || n === node;
  for (const v of s.looseVolumes) {
    if (!v.volid.startsWith(`${st.storage}:`) || !here(v.node)) continue;
    const { node: _node, ...listed } = v;
    out.set(v.volid, listed);
  }
  for (const g of s.guests.values()) {
    if (!here(g.node)) continue;
    for (const v of guestVolumes(g)) {
      if (v.storage !== st.storage || v.cdrom) continue;
      // a detached volume keeps its size among the loose ones (disk-detach.ts)
      if (v.unused && out.has(v.volid)) continue;
      const [base, own] = v.volid.split('/');
      const linked = own !== undefined && /^base-/.test(base.split(':')[1] ?? '');
      out.set(v.volid, {
        volid: v.volid,
        content: g.type === 'qemu' ? 'images' : 'rootdir',
        format: formatOf(st, g.type === 'lxc'),
        size: v.size,
        vmid: g.vmid,
        ...(linked ? { parent: `${base.split(':')[1]}@__base__` } : {}),
      });
    }
  }
  return [...out.values()];
}

/** Bytes used on a storage: what the seed says was there, plus every volume on it now. */
export function storageUsed(s: ClusterState, st: SimStorage): number {
  return st.disk + storageContent(s, st.node, st).reduce((sum, v) => sum + v.size, 0);
}

function formatOf(st: SimStorage, container: boolean): string {
  if (container && st.plugintype === 'zfspool') return 'subvol';
  return st.plugintype === 'dir' ? 'qcow2' : 'raw';
}

/** "32G", "512M": the size= option PVE writes into a disk's configuration. */
export function sizeOption(bytes: number): string {
  for (const [unit, factor] of [['T', 1024 ** 4], ['G', GiB], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

/**
 * A new disk for `STORAGE:SIZE` (size in GiB, as PVE's API takes it): checks the
 * storage like PVE before it forks the worker, returns the volid to write.
 */
export function allocateDisk(s: ClusterState, node: string, vmid: number, storage: string, sizeGiB: number, container: boolean, taken: Set<string>): { volid: string; size: number } {
  const st = requireStorage(s, node, storage);
  const needed = container ? 'rootdir' : 'images';
  if (!contentOf(st).includes(needed)) {
    const what = container ? 'container directories' : 'vm images';
    throw new SimHttpError(400, 'Parameter verification failed.', { storage: `storage '${storage}' does not support ${what}` });
  }
  const size = Math.round(sizeGiB * GiB);
  if (size > st.maxdisk - storageUsed(s, st)) throw new SimHttpError(500, `unable to create image: not enough free space on storage '${storage}'`);
  const used = new Set([...taken, ...storageContent(s, node, st).map((v) => v.volid)]);
  const prefix = container && st.plugintype === 'zfspool' ? 'subvol' : 'vm';
  for (let n = 0; ; n++) {
    const name = `${prefix}-${vmid}-disk-${n}`;
    const volid = st.plugintype === 'dir' ? `${storage}:${vmid}/${name}.${container ? 'raw' : 'qcow2'}` : `${storage}:${name}`;
    if (!used.has(volid)) {
      taken.add(volid);
      return { volid, size };
    }
  }
}

/** The loose volumes a guest leaves behind when it goes (disks with its VMID that no configuration names). */
export function unreferencedDisks(s: ClusterState, g: SimGuest): SimVolume[] {
  return s.looseVolumes.filter((v) => v.vmid === g.vmid && (v.content === 'images' || v.content === 'rootdir'));
}

/** Looks up an ISO or container template volume. */
export function looseVolume(s: ClusterState, node: string, volid: string): SimVolume | undefined {
  return s.looseVolumes.find((v) => v.volid === volid && (v.node === node || storageOn(s, node, volid.split(':')[0])?.shared));
}
