// One runner of Polyvisor's own policies at a time, across processes (the app, the
// OS timer's `schedule run-due`, a `schedule run-now` from a shell): an exclusive
// lock file in the profile holding the owner's pid, host and a token. The owner
// touches it every few seconds (the heartbeat). A lock whose owner is a process
// that no longer exists on this host, or whose heartbeat stopped, is stale and is
// removed and taken anew — removals are serialized, so two processes breaking the
// same stale lock never both end up holding it.

import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = 'schedule-runner.lock';

export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  since: string;
  /** what it is doing, for the message that says who holds the lock */
  purpose: string;
}

export interface LockOptions {
  /** a heartbeat older than this makes the lock stale */
  staleMs?: number;
  heartbeatMs?: number;
  /** whether a pid on this host is alive (tests replace it) */
  pidAlive?: (pid: number) => boolean;
}

export type LockAttempt = { acquired: true; lock: RunnerLock } | { acquired: false; heldBy: LockOwner };

const DEFAULT_STALE_MS = 60_000;
const DEFAULT_HEARTBEAT_MS = 10_000;

export class RunnerLock {
  private timer: NodeJS.Timeout | undefined;
  private lostReason: string | undefined;
  private released = false;

  private constructor(
    readonly file: string,
    readonly owner: LockOwner,
    heartbeatMs: number,
  ) {
    this.timer = setInterval(() => void this.beat(), heartbeatMs);
    this.timer.unref();
  }

  static async tryAcquire(home: string, purpose: string, options: LockOptions = {}): Promise<LockAttempt> {
    const file = path.join(home, LOCK_FILE);
    const owner: LockOwner = { pid: process.pid, host: os.hostname(), token: randomUUID(), since: new Date().toISOString(), purpose };
    const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    await fs.mkdir(home, { recursive: true });
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await createExclusive(file, owner)) return { acquired: true, lock: new RunnerLock(file, owner, heartbeatMs) };
      const held = await readLock(file);
      if (!held) continue; // released meanwhile: try again
      if (!isStale(held, options)) return { acquired: false, heldBy: held.owner };
      await removeIfHeldBy(file, held.owner.token);
    }
    const held = await readLock(file);
    return held ? { acquired: false, heldBy: held.owner } : { acquired: false, heldBy: { pid: 0, host: '', token: '', since: '', purpose: 'unknown' } };
  }

  /** Why the lock was lost (someone judged it stale and took it), if it was. */
  get lost(): string | undefined {
    return this.lostReason;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    if (this.lostReason) return;
    await removeIfHeldBy(this.file, this.owner.token);
  }

  private async beat(): Promise<void> {
    if (this.released || this.lostReason) return;
    const held = await readLock(this.file);
    if (held?.owner.token !== this.owner.token) {
      this.lostReason = held ? `another runner (pid ${held.owner.pid} on ${held.owner.host}) took the lock` : 'the lock file was removed';
      clearInterval(this.timer);
      return;
    }
    const now = new Date();
    try {
      await fs.utimes(this.file, now, now);
    } catch (e) {
      this.lostReason = `the lock file could not be touched: ${(e as Error).message}`;
    }
  }
}

/** Creates the lock file with its content in one step: written aside, then linked into place (link never overwrites). */
async function createExclusive(file: string, owner: LockOwner): Promise<boolean> {
  const temp = `${file}.${owner.token}.tmp`;
  await fs.writeFile(temp, JSON.stringify(owner), { mode: 0o600 });
  try {
    await fs.link(temp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

async function readLock(file: string): Promise<{ owner: LockOwner; touchedMs: number } | undefined> {
  try {
    const [text, st] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    return { owner: parseOwner(text), touchedMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** A lock file that is not ours (edited, cut short) reads as an owner nobody can match: its heartbeat decides. */
function parseOwner(text: string): LockOwner {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.token === 'string') {
      return { pid: o.pid, host: String(o.host ?? ''), token: o.token, since: String(o.since ?? ''), purpose: String(o.purpose ?? '') };
    }
  } catch {
    // not JSON: handled as an unknown owner below
  }
  return { pid: 0, host: '', token: `unreadable:${text.length}`, since: '', purpose: 'unknown' };
}

function isStale(held: { owner: LockOwner; touchedMs: number }, options: LockOptions): boolean {
  if (Date.now() - held.touchedMs > (options.staleMs ?? DEFAULT_STALE_MS)) return true;
  const here = held.owner.host === os.hostname() && held.owner.pid > 0;
  return here && !(options.pidAlive ?? pidAlive)(held.owner.pid);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the lock file if it still holds `token`, as one step among all who remove it (breakers and the releasing owner). */
async function removeIfHeldBy(file: string, token: string): Promise<void> {
  await withRemovalMutex(file, async () => {
    if ((await readLock(file))?.owner.token === token) await fs.rm(file, { force: true });
  });
}

const MUTEX_STALE_MS = 10_000;
const MUTEX_WAIT_MS = 5_000;

/**
 * A file system has no "delete if it is still this one": whoever removes the lock
 * file checks and removes it while holding a second, short-lived lock. A removal
 * takes milliseconds, so a removal lock older than MUTEX_STALE_MS was left by a
 * process that died in those milliseconds and is cleared.
 */
async function withRemovalMutex(file: string, work: () => Promise<void>): Promise<void> {
  const mutex = `${file}.removing`;
  const deadline = Date.now() + MUTEX_WAIT_MS;
  for (;;) {
    try {
      await (await fs.open(mutex, 'wx', 0o600)).close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const age = await ageOf(mutex);
    if (age !== undefined && age > MUTEX_STALE_MS) await fs.rm(mutex, { force: true });
    else if (Date.now() > deadline) throw new Error(`${path.basename(mutex)} stayed in place for ${MUTEX_WAIT_MS / 1000} s`);
    else await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
  }
  try {
    await work();
  } finally {
    await fs.rm(mutex, { force: true });
  }
}

async function ageOf(file: string): Promise<number | undefined> {
  try {
    return Date.now() - (await fs.stat(file)).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
