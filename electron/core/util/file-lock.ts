// One writer at a time across processes (the app, the CLI, the OS timer's runs): a lock
// file beside the file it guards, created exclusively and holding its owner's pid,
// host and a token. A lock is stale when its owner is a process of this host that no
// longer runs, or when it was not refreshed for `staleMs` (a crashed owner on another
// host sharing a network home folder); a stale lock is removed by one process at a
// time (a second, short-lived "break" lock), which checks again before removing it.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PolyvisorError } from '../../../shared/errors';

export interface FileLockOptions {
  /** how long to wait for another writer before giving up */
  timeoutMs?: number;
  /** a lock not refreshed for this long is stale whoever holds it */
  staleMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  at: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_STALE_MS = 30_000;
const RETRY_MIN_MS = 10;
const RETRY_MAX_MS = 200;

/** Runs `job` while holding `<file>.lock`; the lock is released whatever the job's outcome. */
export async function withFileLock<T>(file: string, job: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lock = await acquireFileLock(file, options);
  try {
    return await job();
  } finally {
    await lock.release();
  }
}

export interface HeldLock {
  readonly path: string;
  release(): Promise<void>;
}

export function lockPathOf(file: string): string {
  return `${file}.lock`;
}

export async function acquireFileLock(file: string, options: FileLockOptions = {}): Promise<HeldLock> {
  const lockPath = lockPathOf(file);
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const me: LockOwner = { pid: process.pid, host: os.hostname(), token: randomBytes(12).toString('hex'), at: new Date().toISOString() };
  let wait = RETRY_MIN_MS;
  for (;;) {
    if (await tryCreate(lockPath, me)) return holding(lockPath, me, staleMs);
    const seen = await readOwner(lockPath);
    if (seen && (await isStale(seen, staleMs))) {
      await breakStale(lockPath, seen, staleMs);
      continue;
    }
    if (Date.now() > deadline) {
      const who = seen?.owner ? ` (process ${seen.owner.pid} on ${seen.owner.host})` : '';
      throw new PolyvisorError({
        code: 'TIMEOUT',
        message: `Another Polyvisor process${who} has been writing ${file} for too long; nothing was changed. Try again, or remove ${lockPath} if no Polyvisor is running.`,
      });
    }
    await delay(wait + Math.random() * wait);
    wait = Math.min(wait * 2, RETRY_MAX_MS);
  }
}

async function tryCreate(lockPath: string, me: LockOwner): Promise<boolean> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(lockPath, 'wx', 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT') throw e;
    // the profile's folder does not exist yet (first run)
    await fs.mkdir(path.dirname(lockPath), { recursive: true });
    return tryCreate(lockPath, me);
  }
  try {
    await handle.writeFile(JSON.stringify(me));
    await handle.close();
  } catch (e) {
    // a lock without its owner would block others until it went stale
    await handle.close().catch(() => undefined);
    await fs.rm(lockPath, { force: true });
    throw e;
  }
  return true;
}

function holding(lockPath: string, me: LockOwner, staleMs: number): HeldLock {
  // a long job keeps its lock fresh, so no one takes it for a crashed owner's
  const refresh = setInterval(() => {
    const now = new Date();
    fs.utimes(lockPath, now, now).catch(() => undefined); // a missed refresh only shortens the lock's life
  }, Math.max(1_000, staleMs / 3));
  refresh.unref();
  return {
    path: lockPath,
    async release() {
      clearInterval(refresh);
      const seen = await readOwner(lockPath);
      // broken as stale and taken by another process meanwhile: that lock is not ours to remove
      if (seen?.owner?.token !== me.token) return;
      await fs.rm(lockPath, { force: true });
    },
  };
}

interface SeenLock {
  /** null when the file holds no readable owner (its creator died before writing it, or is writing it now) */
  owner: LockOwner | null;
  ageMs: number;
  text: string;
}

async function readOwner(lockPath: string): Promise<SeenLock | null> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    return { owner: parseOwner(text), ageMs: Date.now() - stat.mtimeMs, text };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.token === 'string') return o as LockOwner;
  } catch {
    // an empty or half-written lock: judged by its age alone
  }
  return null;
}

async function isStale(seen: SeenLock, staleMs: number): Promise<boolean> {
  if (seen.ageMs > staleMs) return true;
  const owner = seen.owner;
  return !!owner && owner.host === os.hostname() && owner.pid !== process.pid && !processRuns(owner.pid);
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the stale lock unless someone else broke it (and maybe took the lock) first. */
async function breakStale(lockPath: string, judged: SeenLock, staleMs: number): Promise<void> {
  const breaker = `${lockPath}.break`;
  const me: LockOwner = { pid: process.pid, host: os.hostname(), token: randomBytes(12).toString('hex'), at: new Date().toISOString() };
  if (!(await tryCreate(breaker, me))) {
    const other = await readOwner(breaker);
    // a breaker that died while breaking: its own lock is stale too
    if (other && (await isStale(other, Math.min(staleMs, 5_000)))) await fs.rm(breaker, { force: true });
    await delay(RETRY_MIN_MS);
    return;
  }
  try {
    const now = await readOwner(lockPath);
    if (now && now.text === judged.text && (await isStale(now, staleMs))) await fs.rm(lockPath, { force: true });
  } finally {
    await fs.rm(breaker, { force: true });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
