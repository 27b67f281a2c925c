// A guest's disks (issue 16): adding a new one, attaching one that is free, growing one,
// detaching one (kept, or deleted). The platform's storage facet says which it has.

/** A new disk: where, how big, and (where the platform names disks) its name. */
export interface NewDisk {
  /** inventory id of a storage node of the guest's server */
  storageId: string;
  sizeBytes: number;
  name?: string;
}

/** A disk no guest uses that this guest may take (XAPI: a VDI without VBDs; Proxmox: the guest's unusedN volumes; vSphere: a .vmdk file no VM or snapshot uses). */
export interface FreeDisk {
  /** the provider's own reference (VDI ref, volid, datastore path) */
  id: string;
  name: string;
  /** absent where the server does not report it (vcsim 0.24's datastore browser gives no disk capacity) */
  sizeBytes?: number;
  storageName?: string;
}

/** What `disks:detach` does with the disk once it is off the guest. */
export interface DetachOptions {
  /** delete the disk itself (XAPI VDI.destroy, Proxmox unused volume removed, vSphere fileOperation destroy) */
  deleteDisk: boolean;
}
