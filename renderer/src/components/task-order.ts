// The tasks panel's rows: each task followed by its child tasks (an evacuation's
// per-VM migrations), a child whose parent is gone shown on its own.
import type { TaskInfo } from '../../../shared/contract';

export interface TaskLine {
  task: TaskInfo;
  /** 0 for a task of its own, 1 for a step of a larger task */
  depth: number;
}

export function taskLines(tasks: readonly TaskInfo[]): TaskLine[] {
  const ids = new Set(tasks.map((t) => t.id));
  const children = new Map<string, TaskInfo[]>();
  for (const task of tasks) {
    if (task.parentId && ids.has(task.parentId)) children.set(task.parentId, [...(children.get(task.parentId) ?? []), task]);
  }
  const lines: TaskLine[] = [];
  const add = (task: TaskInfo, depth: number) => {
    lines.push({ task, depth });
    for (const child of children.get(task.id) ?? []) add(child, depth + 1);
  };
  for (const task of tasks) if (!task.parentId || !ids.has(task.parentId)) add(task, 0);
  return lines;
}
