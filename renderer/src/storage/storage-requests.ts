// What the storage tab and the Rescan command ask the core: a storage's disks, and a
// rescan (a task of the storage, followed in the tasks panel).
import type { StorageContents } from '../../../shared/storage';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import { getClient } from '../client';
import i18n from '../i18n';
import { storeActions } from '../store/store';

export async function fetchContents(nodeId: string): Promise<{ ok: true; value: StorageContents } | { ok: false; error: ErrorInfo }> {
  try {
    return { ok: true, value: await getClient().client.invoke('storage:contents', nodeId) };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}

/** Starts the rescan; a refusal to start is a notice. */
export async function rescanStorage(nodeId: string): Promise<void> {
  try {
    storeActions.taskChanged(await getClient().client.invoke('storage:rescan', nodeId));
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.actionFailed', { action: i18n.t('action.storage_rescan') }));
  }
}
