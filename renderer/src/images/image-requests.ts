// What the Docker image and volume commands ask the core: a pull, and the removal of
// unused images or volumes. Each is a task of the engine, followed in the tasks panel.
import type { TaskInfo } from '../../../shared/contract';
import { toErrorInfo } from '../../../shared/errors';
import { getClient } from '../client';
import i18n from '../i18n';
import { storeActions } from '../store/store';

/** Starts the pull; a refusal to start is thrown (the dialog shows it beside the reference). */
export async function pullImage(serverId: string, reference: string): Promise<TaskInfo> {
  try {
    const task = await getClient().client.invoke('images:pull', serverId, reference);
    storeActions.taskChanged(task);
    return task;
  } catch (e) {
    throw toErrorInfo(e);
  }
}

/** Removes the engine's unused images or volumes; a refusal to start is a notice. */
export async function pruneEngine(serverId: string, what: 'images' | 'volumes'): Promise<void> {
  try {
    const client = getClient().client;
    const task = what === 'images' ? await client.invoke('images:prune', serverId) : await client.invoke('volumes:prune', serverId);
    storeActions.taskChanged(task);
  } catch (e) {
    const action = what === 'images' ? 'image_prune' : 'volume_prune';
    storeActions.notify(toErrorInfo(e), i18n.t('notice.actionFailed', { action: i18n.t(`action.${action}`) }));
  }
}
