// What the guest dialogs ask the core: the New VM wizard's options and its create task,
// a guest's properties and the configure tasks. Answers are data; errors come back as ErrorInfo.
import type { TaskInfo } from '../../../shared/contract';
import { toErrorInfo } from '../../../shared/errors';
import type { CreateOptions, GuestChanges, GuestCreateSpec, GuestProperties } from '../../../shared/guests';
import { getClient } from '../client';
import { ask, type Answer } from '../migration/migration-requests';
import { storeActions } from '../store/store';

const client = () => getClient().client;

export function fetchCreateOptions(serverId: string): Promise<Answer<CreateOptions>> {
  return ask(() => client().invoke('guests:createOptions', serverId));
}

export function fetchProperties(nodeId: string): Promise<Answer<GuestProperties>> {
  return ask(() => client().invoke('guests:properties', nodeId));
}

/** Starts the create task and shows it in the tasks panel; throws ErrorInfo when the core refuses to start it. */
export async function createGuest(serverId: string, spec: GuestCreateSpec): Promise<TaskInfo> {
  try {
    const task = await client().invoke('guests:create', serverId, spec);
    storeActions.taskChanged(task);
    return task;
  } catch (e) {
    throw toErrorInfo(e);
  }
}

/** One configure task per guest, shown in the tasks panel; throws ErrorInfo when the core refuses to start them. */
export async function configureGuests(nodeIds: string[], changes: GuestChanges): Promise<TaskInfo[]> {
  try {
    const tasks = await client().invoke('guests:configure', nodeIds, changes);
    for (const task of tasks) storeActions.taskChanged(task);
    return tasks;
  } catch (e) {
    throw toErrorInfo(e);
  }
}
