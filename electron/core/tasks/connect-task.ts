// Connecting to a server is a task like any other (XenCenter lists "Connecting to …"):
// it shows in the Tasks view while it runs and stays there with its outcome.

import { PolyvisorError, type ErrorInfo } from '../../../shared/errors';
import { serverNodeId } from '../inventory/inventory-store';
import type { SavedServer } from '../servers/saved-server';
import type { TaskManager } from './task-manager';

/** the task's action: not an ActionName (no node is acted on), translated like one */
export const CONNECT_TASK = 'connect';

export function connectAsTask(tasks: TaskManager) {
  return async (server: SavedServer, attempt: () => Promise<ErrorInfo | undefined>): Promise<void> => {
    const task = tasks.start({ serverId: server.id, targetId: serverNodeId(server.id), targetName: server.name, action: CONNECT_TASK }, async () => {
      const error = await attempt();
      if (error) throw new PolyvisorError(error);
    });
    // the outcome is the task's (and the connection's state): a failed attempt is not an error of this call
    await tasks.whenDone(task.id);
  };
}
