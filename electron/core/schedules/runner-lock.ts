// One runner of Polyvisor's own policies at a time, across processes (the app, the
// OS timer's `schedule run-due`, a `schedule run-now` from a shell): the profile's
// file lock (util/file-lock.ts: owner pid, host and token; refreshed while held;
// stale once its process is gone or its refresh stopped) on <home>/schedule-runner.
// A runner does not queue behind another: the one that holds the lock runs what
// is due, the other says who holds it and leaves.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isPolyvisorError } from '../../../shared/errors';
import { acquireFileLock, lockPathOf, type HeldLock } from '../util/file-lock';

const LOCK_BASE = 'schedule-runner';
/** a runner is alive while it refreshes its lock; this long without a refresh, it is taken for dead */
const RUNNER_STALE_MS = 60_000;

export const RUNNER_LOCK_FILE = lockPathOf(LOCK_BASE);

export type RunnerLockAttempt = { acquired: true; lock: HeldLock } | { acquired: false; heldBy: string };

/** Takes the runner lock if no live runner holds it; `waitMs` gives a runner that is finishing a moment to let go. */
export async function tryRunnerLock(home: string, waitMs = 0): Promise<RunnerLockAttempt> {
  const base = path.join(home, LOCK_BASE);
  try {
    return { acquired: true, lock: await acquireFileLock(base, { timeoutMs: waitMs, staleMs: RUNNER_STALE_MS }) };
  } catch (e) {
    if (!isPolyvisorError(e, 'TIMEOUT')) throw e;
    return { acquired: false, heldBy: await describeHolder(lockPathOf(base)) };
  }
}

async function describeHolder(lockPath: string): Promise<string> {
  try {
    const owner = JSON.parse(await fs.readFile(lockPath, 'utf8')) as { pid?: unknown; host?: unknown };
    return `process ${String(owner.pid)} on ${String(owner.host)}`;
  } catch {
    return 'another process'; // it let go meanwhile, or is writing its lock now: the message needs no more
  }
}
