// A bulk action's result, once its tasks have finished: how many were done, failed or
// left out, and for each one that was not done, which object and why. Nothing is
// skipped silently (issue 19: "2 done, 1 skipped: no guest tools").
import type { TFunction } from 'i18next';
import type { TaskInfo } from '../../../shared/contract';
import { storeActions, useStore } from '../store/store';
import type { Partition } from './rules';

export interface Outcome {
  done: number;
  failed: number;
  skipped: number;
  /** one line per object that was not done: its name and why */
  lines: string[];
}

/** Counts finished tasks and left-out objects; null while a task still runs. */
export function outcomeOf(t: TFunction, tasks: readonly (TaskInfo | undefined)[], skipped: Partition['skipped']): Outcome | null {
  if (tasks.some((task) => task?.status === 'running')) return null;
  const out: Outcome = { done: 0, failed: 0, skipped: skipped.length, lines: [] };
  for (const task of tasks) {
    if (!task) continue;
    if (task.status === 'success') {
      out.done++;
      continue;
    }
    out.failed++;
    const why = task.status === 'cancelled' ? t('taskStatus.cancelled') : task.error ? t(`errorCode.${task.error.code}`) : t('taskStatus.failure');
    // the user's words first, the server's code second
    const code = task.error?.serverCode ?? task.error?.code;
    out.lines.push(t('outcome.failedLine', { name: task.targetName, why }) + (code ? ` (${code})` : ''));
  }
  for (const s of skipped) out.lines.push(t('outcome.skippedLine', { name: s.node.name, why: s.reason }));
  return out;
}

export function outcomeText(t: TFunction, action: string, outcome: Outcome): string {
  const parts = [t('outcome.done', { count: outcome.done })];
  if (outcome.failed) parts.push(t('outcome.failed', { count: outcome.failed }));
  if (outcome.skipped) parts.push(t('outcome.skipped', { count: outcome.skipped }));
  return t('outcome.summary', { action, parts: parts.join(t('outcome.separator')) });
}

/**
 * Reports the outcome of a bulk action once all its tasks have finished; a single object
 * acted on alone is reported by its task in the tasks panel.
 */
export function reportWhenFinished(
  t: TFunction,
  action: (t: TFunction) => string,
  started: readonly TaskInfo[],
  /** what was left out and why, in the language asked for (the toast may be read after a change of language) */
  skippedIn: (t: TFunction) => Partition['skipped'],
): void {
  const skipped = skippedIn(t);
  if (started.length + skipped.length < 2) return;
  const ids = started.map((task) => task.id);
  const check = (): boolean => {
    const tasks = useStore.getState().tasks;
    const finished = ids.map((id) => tasks.find((task) => task.id === id));
    const outcome = outcomeOf(t, finished, skipped);
    if (!outcome) return false;
    // said again in the user's language if it changes while the toast is up
    const say = (now: TFunction) => {
      const again = outcomeOf(now, finished, skippedIn(now))!;
      return { text: outcomeText(now, action(now), again), lines: again.lines };
    };
    storeActions.report(outcome.failed ? 'error' : 'info', outcomeText(t, action(t), outcome), outcome.lines, say);
    return true;
  };
  if (check()) return;
  const stop = useStore.subscribe((state, before) => {
    if (state.tasks !== before.tasks && check()) stop();
  });
}
