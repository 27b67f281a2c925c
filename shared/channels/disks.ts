// A guest's disks (issue 16): add a new one, attach a free one, grow one, detach one.
import type { TaskInfo } from '../contract';
import type { DetachOptions, FreeDisk, NewDisk } from '../disks';

export interface DiskChannels {
  /** the free disks this guest may take */
  'disks:attachable': { args: [guestId: string]; result: FreeDisk[] };
  /** a new empty disk on a storage of the guest's server (plugged at once where the guest runs and the platform can) */
  'disks:add': { args: [guestId: string, disk: NewDisk]; result: TaskInfo };
  /** a free disk (FreeDisk.id) attached to the guest */
  'disks:attach': { args: [guestId: string, diskId: string]; result: TaskInfo };
  /** grows one of the guest's disks (GuestDisk.id) to this size; disks never shrink */
  'disks:resize': { args: [guestId: string, diskId: string, sizeBytes: number]; result: TaskInfo };
  /** takes a disk off the guest, keeping it or deleting it */
  'disks:detach': { args: [guestId: string, diskId: string, options: DetachOptions]; result: TaskInfo };
}

export const DISK_CHANNELS: Record<keyof DiskChannels, true> = {
  'disks:attachable': true,
  'disks:add': true,
  'disks:attach': true,
  'disks:resize': true,
  'disks:detach': true,
};
