// Follows an XAPI task (from an Async.* call) to its end: reports progress,
// offers cancellation while it runs, destroys the task record afterwards.

import { PolyvisorError, isPolyvisorError } from '../../../../shared/errors';
import type { TaskReporter } from '../provider';
import { xapiFailure } from './errors';
import { num, refs, str, type XapiRecord } from './records';
import type { XapiSession } from './session';
import { sleep } from '../../util/timing';

export interface FollowOptions {
  pollMs: number;
  /** the part of the reporter's 0..1 this task covers */
  range?: [number, number];
}

/**
 * `sessionOf` gives the provider's current session: a task lives on the pool, so
 * it can still be followed after the provider reconnected during the operation.
 */
export async function followTask(
  sessionOf: () => XapiSession,
  taskRef: string,
  reporter: TaskReporter,
  { pollMs, range = [0, 1] }: FollowOptions,
): Promise<string> {
  let cancelRequested = false;
  const cancel = async () => {
    cancelRequested = true;
    await sessionOf().call('task.cancel', taskRef);
  };
  // a refused cancel leaves the task running: the loop below follows it to its real end
  const onAbort = () => void cancel().catch(() => undefined);
  reporter.setCancellable(cancel);
  reporter.signal.addEventListener('abort', onAbort);
  if (reporter.signal.aborted) onAbort();
  let lastProgress = -1;
  let wait = Math.min(50, pollMs);
  let cutOffSince: number | undefined;
  try {
    for (;;) {
      let record: XapiRecord;
      try {
        record = await sessionOf().call<XapiRecord>('task.get_record', taskRef);
        cutOffSince = undefined;
      } catch (err) {
        cutOffSince ??= Date.now();
        if (!isCutOff(err) || Date.now() - cutOffSince > RECONNECT_PATIENCE_MS) throw err;
        await sleep(pollMs);
        continue;
      }
      const progress = Math.min(1, Math.max(0, num(record.progress) ?? 0));
      if (progress !== lastProgress) {
        lastProgress = progress;
        reporter.progress(range[0] + (range[1] - range[0]) * progress);
      }
      const status = str(record.status);
      if (status === 'success') return taskResult(record.result);
      if (status === 'cancelled') throw cancelled();
      if (status === 'failure') {
        const info = refs(record.error_info);
        if (cancelRequested && info[0] === undefined) throw cancelled();
        throw xapiFailure(info.length ? info : ['INTERNAL_ERROR', 'the task failed without an error description']);
      }
      await sleep(wait);
      wait = Math.min(pollMs, wait * 2);
    }
  } finally {
    reporter.signal.removeEventListener('abort', onAbort);
    reporter.setCancellable(null);
    try {
      // a task record left behind is harmless: the server garbage-collects finished tasks
      sessionOf().call('task.destroy', taskRef).catch(() => undefined);
    } catch {
      // no session now: the server garbage-collects finished tasks
    }
  }
}

const RECONNECT_PATIENCE_MS = 60_000;

/** Lost connection or session: the provider is reconnecting, the task goes on. */
function isCutOff(err: unknown): boolean {
  return isPolyvisorError(err, 'CONNECTION_FAILED') || (isPolyvisorError(err) && err.info.serverCode === 'SESSION_INVALID');
}

function cancelled(): PolyvisorError {
  return new PolyvisorError({ code: 'CANCELLED', message: 'The operation was cancelled.', serverCode: 'TASK_CANCELLED' });
}

/** task.result is the XML-RPC encoding of the value, e.g. `<value>OpaqueRef:…</value>`. */
export function taskResult(result: unknown): string {
  const text = str(result).trim();
  const match = /^<value>(?:<string>)?([^<]*)(?:<\/string>)?<\/value>$/.exec(text);
  return decodeXml(match ? match[1]! : text);
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);
}

