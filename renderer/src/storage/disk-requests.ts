// What the VM Storage tab's disk dialogs ask the core (issue 16): the free disks a guest
// may take, and the add/attach/resize/detach tasks (followed in the tasks panel).
import type { TaskInfo } from '../../../shared/contract';
import type { FreeDisk, NewDisk } from '../../../shared/disks';
import { getClient } from '../client';
import { ask, type Answer } from '../migration/migration-requests';
import { storeActions } from '../store/store';

const invoke = () => getClient().client;

export function fetchAttachable(guestId: string): Promise<Answer<FreeDisk[]>> {
  return ask(() => invoke().invoke('disks:attachable', guestId));
}

/** Starts the task and shows it; a refusal to start rejects (the dialog shows it). */
async function started(start: Promise<TaskInfo>): Promise<void> {
  storeActions.taskChanged(await start);
}

export const addDisk = (guestId: string, disk: NewDisk) => started(invoke().invoke('disks:add', guestId, disk));
export const attachDisk = (guestId: string, diskId: string) => started(invoke().invoke('disks:attach', guestId, diskId));
export const resizeDisk = (guestId: string, diskId: string, sizeBytes: number) => started(invoke().invoke('disks:resize', guestId, diskId, sizeBytes));
export const detachDisk = (guestId: string, diskId: string, deleteDisk: boolean) => started(invoke().invoke('disks:detach', guestId, diskId, { deleteDisk }));
