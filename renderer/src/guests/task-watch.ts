// Follows tasks the guest dialogs started through the store's task list (fed by
// task:changed), so a dialog can say what happened and the wizard can select the new VM.
import type { TaskInfo } from '../../../shared/contract';
import { storeActions, useStore } from '../store/store';

/** Resolves with the task once it is no longer running. */
export function whenFinished(taskId: string): Promise<TaskInfo> {
  return new Promise((resolve) => {
    const check = (tasks: TaskInfo[]): boolean => {
      const task = tasks.find((t) => t.id === taskId);
      if (!task || task.status === 'running') return false;
      resolve(task);
      return true;
    };
    if (check(useStore.getState().tasks)) return;
    const stop = useStore.subscribe((s) => {
      if (check(s.tasks)) stop();
    });
  });
}

/** Selects a node in the tree once the inventory has it (a new guest arrives in a delta after its task ends). */
export function revealWhenPresent(nodeId: string): void {
  const present = () => useStore.getState().index.nodes.has(nodeId);
  if (present()) {
    storeActions.reveal(nodeId);
    return;
  }
  // stop listening before selecting: selecting changes the store, which would call this listener again
  const stop = useStore.subscribe(() => {
    if (!present()) return;
    stop();
    storeActions.reveal(nodeId);
  });
}
