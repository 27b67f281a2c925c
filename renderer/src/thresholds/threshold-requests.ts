// The thresholds:* calls from the editor and the list; a refusal is shown as a notice.
import type { ThresholdDraft } from '../../../shared/thresholds';
import { toErrorInfo } from '../../../shared/errors';
import { getClient } from '../client';
import i18n from '../i18n';
import { storeActions } from '../store/store';

async function reported<T>(call: () => Promise<T>, failed: string): Promise<T | undefined> {
  try {
    return await call();
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t(failed));
    return undefined;
  }
}

export const thresholdRequests = {
  create: (draft: ThresholdDraft) => reported(() => getClient().client.invoke('thresholds:create', draft), 'thresholds.saveFailed'),
  update: (id: string, changes: Partial<ThresholdDraft>) => reported(() => getClient().client.invoke('thresholds:update', id, changes), 'thresholds.saveFailed'),
  remove: (id: string) => reported(() => getClient().client.invoke('thresholds:delete', id), 'thresholds.deleteFailed'),
};
