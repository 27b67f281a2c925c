// One task made of several server steps (a snapshot then a revert, a clone then a
// template): each step reports its own 0..1 into its share of the whole.

import type { TaskReporter } from '../provider';

/** A reporter for the step that covers [from, to] of the task's progress. */
export function taskStep(task: TaskReporter, from: number, to: number): TaskReporter {
  return {
    progress: (fraction) => task.progress(from + (to - from) * Math.min(1, Math.max(0, fraction))),
    setCancellable: (cancel) => task.setCancellable(cancel),
    signal: task.signal,
    child: (step, work) => task.child(step, work),
  };
}
