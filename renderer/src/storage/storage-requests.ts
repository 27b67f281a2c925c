// What the storage tab and the Rescan command ask the core: a storage's disks, and a
// rescan (a task of the storage, followed in the tasks panel).
import type { StorageContents } from '../../../shared/storage';
import { toErrorInfo } from '../../../shared/errors';
import { ask, type Answer } from '../migration/migration-requests';
import { getClient } from '../client';
import i18n from '../i18n';
import { storeActions } from '../store/store';

export function fetchContents(nodeId: string): Promise<Answer<StorageContents>> {
  return ask(() => getClient().client.invoke('storage:contents', nodeId));
}

/** Starts the rescan; a refusal to start is a notice. */
export async function rescanStorage(nodeId: string): Promise<void> {
  try {
    storeActions.taskChanged(await getClient().client.invoke('storage:rescan', nodeId));
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.actionFailed', { action: i18n.t('action.storage_rescan') }));
  }
}

/** Starts moving a guest's disk to another storage; a refusal to start is a notice. */
export async function moveDisk(guestId: string, diskId: string, storageId: string): Promise<void> {
  try {
    storeActions.taskChanged(await getClient().client.invoke('storage:moveDisk', guestId, diskId, storageId));
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.actionFailed', { action: i18n.t('action.disk_move') }));
  }
}
