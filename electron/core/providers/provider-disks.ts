// What a provider does with a guest's disks (issue 16; storage facet addDisk, attachDisk,
// resizeDisk, detachDisk): a new disk, a free one attached, one grown, one detached.
// Guests and storages are native refs; disk ids are GuestDisk.id / FreeDisk.id.

import type { FreeDisk } from '../../../shared/disks';
import type { ActionResult, TaskReporter } from './provider';
import type { GuestTarget } from './provider-networks';

export interface ProviderDisks {
  /** the free disks the guest may take */
  attachable(guest: GuestTarget): Promise<FreeDisk[]>;
  /** a new empty disk on the storage; plugged at once where the guest runs and the platform can */
  add(guest: GuestTarget, disk: { storageRef: string; sizeBytes: number; name: string }, task: TaskReporter): Promise<ActionResult>;
  attach(guest: GuestTarget, diskId: string, task: TaskReporter): Promise<ActionResult>;
  /** grows the disk to sizeBytes; the server refuses shrinking in its own words */
  resize(guest: GuestTarget, diskId: string, sizeBytes: number, task: TaskReporter): Promise<ActionResult>;
  detach(guest: GuestTarget, diskId: string, deleteDisk: boolean, task: TaskReporter): Promise<ActionResult>;
}
