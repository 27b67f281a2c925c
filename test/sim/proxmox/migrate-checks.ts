// What PVE checks before it moves a guest: its volumes and on which storage they
// live (shared, or only on some nodes), local devices, and the target's memory.
// GET …/migrate answers from these; the migrate tasks fail with PVE's own words.

import type { ClusterState, SimGuest, SimNode } from './state';

export interface GuestVolume {
  /** config key: scsi0, ide2, rootfs, mp0, unused0 */
  key: string;
  volid: string;
  storage: string | null;
  size: number;
  cdrom: boolean;
  unused: boolean;
}

const QEMU_DRIVE = /^(?:ide|sata|scsi|virtio|efidisk|tpmstate|unused)\d+$/;
const LXC_VOLUME = /^(?:rootfs|mp\d+|unused\d+)$/;
// devices passed through from the host: they exist on this node only
const LOCAL_DEVICE = /^(?:hostpci|usb|serial|parallel)\d+$/;
const UNITS: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

export function guestVolumes(g: SimGuest): GuestVolume[] {
  const keyRe = g.type === 'qemu' ? QEMU_DRIVE : LXC_VOLUME;
  const out: GuestVolume[] = [];
  for (const [key, raw] of Object.entries(g.config)) {
    if (!keyRe.test(key)) continue;
    const [volid, ...opts] = String(raw).split(',');
    const options = Object.fromEntries(opts.map((o) => o.split('=') as [string, string]));
    const cdrom = options.media === 'cdrom';
    if (volid === 'none' || volid === 'cdrom') continue;
    const colon = volid.indexOf(':');
    const sizeMatch = /^(\d+(?:\.\d+)?)([KMGT])?$/.exec(options.size ?? '');
    const size = sizeMatch ? Math.round(Number(sizeMatch[1]) * (UNITS[sizeMatch[2] ?? ''] ?? 1)) : 0;
    out.push({ key, volid, storage: colon > 0 ? volid.slice(0, colon) : null, size, cdrom, unused: key.startsWith('unused') });
  }
  return out;
}

/** A storage no node lists is unknown to the simulator: treated as a local one on every node (PVE's default without `nodes`). */
export function storageShared(s: ClusterState, storage: string): boolean {
  return s.storage.some((st) => st.storage === storage && st.shared);
}

export function storageOnNode(s: ClusterState, storage: string, node: string): boolean {
  const entries = s.storage.filter((st) => st.storage === storage);
  return entries.length === 0 || entries.some((st) => st.node === node);
}

/** Volumes on storage that is not shared: they have to be copied to move the guest. */
export function localVolumes(s: ClusterState, g: SimGuest): GuestVolume[] {
  return guestVolumes(g).filter((v) => v.storage !== null && !storageShared(s, v.storage));
}

/** The storages of the guest that the node does not have (sorted, as PVE lists them). */
export function unavailableStorages(s: ClusterState, g: SimGuest, node: string): string[] {
  const ids = new Set(guestVolumes(g).flatMap((v) => (v.storage && !storageOnNode(s, v.storage, node) ? [v.storage] : [])));
  return [...ids].sort();
}

/** Config keys of host devices passed through (hostpci0, usb0, …). */
export function localResources(g: SimGuest): string[] {
  return Object.keys(g.config)
    .filter((k) => LOCAL_DEVICE.test(k))
    .sort();
}

/** Memory left on a node for one more running guest. */
export function freeMemory(s: ClusterState, node: SimNode): number {
  let used = node.mem;
  for (const g of s.guests.values()) if (g.node === node.name && g.status === 'running') used += g.maxmem;
  return node.maxmem - used;
}
