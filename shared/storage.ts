// Storage (issue 16): XAPI SRs, Proxmox VE storages, vSphere datastores and Docker
// named volumes, in one shape. A storage node carries it in `storage`; its tab asks
// the provider for the disks on it (`storage:contents`).

import type { LocalizedText } from './descriptor';

/** What the tree and the storage tab show of one storage. Sizes in bytes; null where the server does not say. */
export interface StorageInfo {
  /** the platform's own type word: lvm, nfs, iso (XAPI); dir, zfspool, rbd (Proxmox); VMFS, NFS (vSphere); a volume driver (Docker) */
  type: string;
  /** reachable from every host of the pool/cluster (the tree puts it under the pool) */
  shared: boolean;
  size: number | null;
  used: number | null;
  free: number | null;
  /** inventory ids of the hosts it is attached to (plugged PBDs, nodes that have it, mounted hosts) */
  hostIds: string[];
  /** what it may hold, as the platform names it (XAPI content_type; Proxmox content list) */
  content?: string[];
  /** removable media (XAPI udev SRs: a DVD drive, a USB disk): full by nature, never a space warning */
  removable?: boolean;
}

/** One disk (or volume, or file) on a storage: the storage tab's rows. */
export interface StorageDisk {
  /** the provider's own reference (VDI ref, volid, datastore path) */
  ref: string;
  name: string;
  /** the size the guest sees, in bytes; null where unknown */
  size: number | null;
  /** bytes it takes on the storage, where the platform says */
  used?: number | null;
  /** a disk of a snapshot (XAPI VDI.is_a_snapshot, a Proxmox snapshot volume) */
  snapshot: boolean;
  /** what it is: disk, iso, template, backup, suspend image, … as the platform names its content */
  content: string;
  /** the VMs (or containers) that use it: their inventory ids and names */
  usedBy: Array<{ id: string; name: string }>;
}

export interface StorageContents {
  nodeId: string;
  disks: StorageDisk[];
}

/** What a platform does with storage (descriptor facet `storage`); absent = it shows none. */
export interface StorageFacet {
  /** storage nodes appear in the tree */
  tree: boolean;
  /** a storage node's tab lists its disks */
  contents: boolean;
  /** the storage can be asked to look for changes (XAPI SR.scan, vSphere RefreshDatastoreStorageInfo) */
  rescan: boolean;
  /** why not, where rescan is false */
  rescanNote?: LocalizedText;
  /** a guest's disk can be moved to another storage (XAPI VDI.pool_migrate live, VDI.copy when halted) */
  moveDisk?: boolean;
  /** why not, where moveDisk is absent */
  moveDiskNote?: LocalizedText;
  /** a guest's disks (issue 16): a new disk added, a free one attached, one grown, one detached (kept or deleted) */
  addDisk?: boolean;
  attachDisk?: boolean;
  resizeDisk?: boolean;
  detachDisk?: boolean;
  /** why not, where the matching flag is absent; or what to know where it is there (grown only while halted, …) */
  addDiskNote?: LocalizedText;
  attachDiskNote?: LocalizedText;
  resizeDiskNote?: LocalizedText;
  detachDiskNote?: LocalizedText;
}

/** A storage's share of used space, 0..1, or null when its size is unknown. */
export function usedFraction(info: Pick<StorageInfo, 'size' | 'used'>): number | null {
  if (info.size === null || info.used === null || info.size <= 0) return null;
  return Math.min(1, Math.max(0, info.used / info.size));
}
