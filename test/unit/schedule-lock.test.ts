// The runner lock between real processes: one holder at a time, a lock left by a
// dead process or with a stopped heartbeat is taken over, and when several
// processes race to take over the same stale lock exactly one gets it.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, RunnerLock } from '../../electron/core/schedules/runner-lock';

const taker = path.join(__dirname, 'helpers', 'lock-taker.ts');
let home: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-lock-'));
});

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

/** Starts a lock taker and resolves with its first line and the process. */
function take(mode: 'hold' | 'once'): Promise<{ line: string; child: ChildProcessWithoutNullStreams }> {
  const child = spawn(process.execPath, ['--import', 'tsx', taker, home, mode, '100'], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ line: out.trim(), child });
    });
    child.once('exit', (code) => reject(new Error(`lock taker exited (${code}) before answering: ${err}`)));
  });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
}

function writeLock(owner: object, ageMs = 0): void {
  const file = path.join(home, LOCK_FILE);
  writeFileSync(file, JSON.stringify(owner));
  const t = new Date(Date.now() - ageMs);
  utimesSync(file, t, t);
}

describe('the runner lock', () => {
  it('has one holder at a time; released, it can be taken again', async () => {
    const first = await RunnerLock.tryAcquire(home, 'first');
    expect(first.acquired).toBe(true);
    const second = await RunnerLock.tryAcquire(home, 'second');
    expect(second).toMatchObject({ acquired: false, heldBy: { pid: process.pid, purpose: 'first' } });
    if (first.acquired) await first.lock.release();
    expect(existsSync(path.join(home, LOCK_FILE))).toBe(false);
    const third = await RunnerLock.tryAcquire(home, 'third');
    expect(third.acquired).toBe(true);
    if (third.acquired) await third.lock.release();
  });

  it('refuses while another live process holds it, and is free once that process lets go', async () => {
    const holder = await take('hold');
    expect(holder.line).toBe('acquired');
    const attempt = await RunnerLock.tryAcquire(home, 'app');
    expect(attempt).toMatchObject({ acquired: false, heldBy: { pid: holder.child.pid } });
    holder.child.stdin.end();
    await exited(holder.child);
    const after = await RunnerLock.tryAcquire(home, 'app');
    expect(after.acquired).toBe(true);
    if (after.acquired) await after.lock.release();
  });

  it('takes over a lock whose process died without releasing it (SIGKILL)', async () => {
    const holder = await take('hold');
    expect(holder.line).toBe('acquired');
    holder.child.kill('SIGKILL');
    await exited(holder.child);
    const attempt = await RunnerLock.tryAcquire(home, 'app');
    expect(attempt.acquired).toBe(true);
    if (attempt.acquired) {
      expect(JSON.parse(readFileSync(path.join(home, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, token: attempt.lock.owner.token });
      await attempt.lock.release();
    }
  });

  it('takes over a lock from another computer only once its heartbeat stopped', async () => {
    writeLock({ pid: 4242, host: 'some-other-host', token: 'theirs', since: '', purpose: 'run-due' }, 5_000);
    expect((await RunnerLock.tryAcquire(home, 'app', { staleMs: 60_000 })).acquired).toBe(false);
    writeLock({ pid: 4242, host: 'some-other-host', token: 'theirs', since: '', purpose: 'run-due' }, 120_000);
    const attempt = await RunnerLock.tryAcquire(home, 'app', { staleMs: 60_000 });
    expect(attempt.acquired).toBe(true);
    if (attempt.acquired) await attempt.lock.release();
  });

  it('a holder whose lock was taken over finds out at its next heartbeat and does not remove the new lock', async () => {
    const first = await RunnerLock.tryAcquire(home, 'slow', { heartbeatMs: 50 });
    if (!first.acquired) throw new Error('the first lock was not acquired');
    // pretend its heartbeat stopped long ago, and someone else takes it over
    const old = new Date(Date.now() - 120_000);
    utimesSync(path.join(home, LOCK_FILE), old, old);
    const second = await RunnerLock.tryAcquire(home, 'fast', { staleMs: 60_000 });
    if (!second.acquired) throw new Error('the stale lock was not taken over');
    await expect.poll(() => first.lock.lost, { timeout: 10_000 }).toMatch(/another runner/);
    await first.lock.release();
    expect(JSON.parse(readFileSync(path.join(home, LOCK_FILE), 'utf8')).token).toBe(second.lock.owner.token);
    await second.lock.release();
  });

  it('when many attempts in one process race to take over a stale lock, exactly one gets it', async () => {
    for (let round = 0; round < 20; round++) {
      writeLock({ pid: 999_999_999, host: os.hostname(), token: `dead-${round}`, since: '', purpose: 'run-due' });
      const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) => RunnerLock.tryAcquire(home, `racer ${i}`)));
      const winners = attempts.flatMap((a) => (a.acquired ? [a.lock] : []));
      expect(winners).toHaveLength(1);
      expect(JSON.parse(readFileSync(path.join(home, LOCK_FILE), 'utf8')).token).toBe(winners[0].owner.token);
      await winners[0].release();
    }
  });

  it('when several processes race to take over one stale lock, exactly one gets it', async () => {
    for (let round = 0; round < 2; round++) {
      writeLock({ pid: 999_999_999, host: os.hostname(), token: `dead-${round}`, since: '', purpose: 'run-due' });
      const takers = await Promise.all([take('hold'), take('hold'), take('hold'), take('hold')]);
      expect(takers.filter((t) => t.line === 'acquired'), takers.map((t) => t.line).join(', ')).toHaveLength(1);
      const winner = takers.find((t) => t.line === 'acquired')!;
      for (const t of takers.filter((x) => x !== winner)) expect(t.line).toBe(`held ${winner.child.pid}`);
      for (const t of takers) t.child.stdin.end();
      await Promise.all(takers.map((t) => exited(t.child)));
      expect(existsSync(path.join(home, LOCK_FILE))).toBe(false);
    }
  });
});
