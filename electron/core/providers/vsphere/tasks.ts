// Follows a vSphere Task to its end by reading its `info` (state, progress,
// cancelable, result, error), reporting progress and offering CancelTask while
// the server says the task can be cancelled.

import { PolyvisorError } from '../../../../shared/errors';
import type { TaskReporter } from '../provider';
import { faultError, readLocalizedFault } from './faults';
import { retrieveOne } from './property-collector';
import type { VimClient } from './vim-client';
import { sleep } from '../../util/timing';
import { child, readBool, readMoRef, readNumber, text, type ManagedObjectReference, type XmlNode } from './xml';

export interface TaskOutcome {
  /** info.result when it is a managed object (e.g. the new snapshot) */
  resultRef: ManagedObjectReference | null;
  /** info.result as sent (a data object, e.g. SearchDatastore_Task's search results) */
  result?: XmlNode;
}

export interface FollowOptions {
  /** first poll delay after the first read; doubles up to maxPollMs */
  minPollMs?: number;
  maxPollMs?: number;
}

export async function followTask(
  client: VimClient,
  task: ManagedObjectReference,
  reporter: TaskReporter,
  what: string,
  opts: FollowOptions = {},
): Promise<TaskOutcome> {
  let delay = opts.minPollMs ?? 100;
  const maxDelay = opts.maxPollMs ?? 1_000;
  let cancelOffered = false;
  let cancelRequested = false;
  const cancel = async () => {
    cancelRequested = true;
    await client.call('CancelTask', task, []);
  };
  const onAbort = () => {
    // a refused CancelTask leaves the task running: the loop below still reports how it ends
    if (cancelOffered && !cancelRequested) void cancel().catch(() => undefined);
  };
  reporter.signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const props = await retrieveOne(client, task, ['info']);
      if (!props) throw new PolyvisorError({ code: 'NOT_FOUND', message: `${what}: the server no longer knows task ${task.value}` });
      const info = readTaskInfo(props.get('info'), what);
      if (info.state === 'success') {
        reporter.setCancellable(null);
        reporter.progress(1);
        return { resultRef: info.resultRef, result: info.result };
      }
      if (info.state === 'error') {
        reporter.setCancellable(null);
        throw info.error;
      }
      if (info.progress !== undefined) reporter.progress(info.progress);
      if (info.cancelable !== cancelOffered) {
        cancelOffered = info.cancelable;
        reporter.setCancellable(info.cancelable ? cancel : null);
        if (info.cancelable && reporter.signal.aborted) onAbort();
      }
      await sleep(delay);
      delay = Math.min(delay * 2, maxDelay);
    }
  } finally {
    reporter.signal.removeEventListener('abort', onAbort);
  }
}

export type TaskInfo =
  | { state: 'success'; resultRef: ManagedObjectReference | null; result?: XmlNode }
  | { state: 'error'; error: PolyvisorError }
  /** queued or running; `progress` is a fraction below 1 */
  | { state: 'running'; progress?: number; cancelable: boolean };

/** Reads a TaskInfo; anything but success or error is still running. */
export function readTaskInfo(info: XmlNode | undefined, what: string): TaskInfo {
  const state = text(child(info, 'state'))?.trim();
  if (state === 'success') return { state, resultRef: readMoRef(child(info, 'result')), result: child(info, 'result') };
  if (state === 'error') {
    const error = child(info, 'error');
    return {
      state,
      error: error !== undefined ? faultError(readLocalizedFault(error), what) : new PolyvisorError({ code: 'SERVER_ERROR', message: `${what} failed`, serverCode: 'TaskError' }),
    };
  }
  const percent = readNumber(child(info, 'progress'));
  return { state: 'running', progress: percent === undefined ? undefined : Math.min(Math.max(percent / 100, 0), 0.99), cancelable: readBool(child(info, 'cancelable')) === true };
}

/** The task moref a `*_Task` method returned. */
export function taskRef(node: XmlNode | undefined, method: string): ManagedObjectReference {
  const ref = readMoRef(node);
  if (!ref) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${method} returned no task`, serverCode: 'BadResponse' });
  return ref;
}

