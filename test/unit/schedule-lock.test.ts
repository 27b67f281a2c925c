// The runner lock between real processes: one runner at a time, the other is told
// who holds it; a runner killed while it held the lock does not block the next one.
// (The profile's file lock under it has its own tests: profile-lock.test.ts.)

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUNNER_LOCK_FILE, tryRunnerLock } from '../../electron/core/schedules/runner-lock';

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
  const child = spawn(process.execPath, ['--import', 'tsx', taker, home, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
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

describe('the runner lock', () => {
  it('has one holder at a time, names the holder to the other, and is free once released', async () => {
    const holder = await take('hold');
    expect(holder.line).toBe('acquired');
    const attempt = await tryRunnerLock(home);
    expect(attempt).toEqual({ acquired: false, heldBy: `process ${holder.child.pid} on ${os.hostname()}` });
    const other = await take('once');
    expect(other.line).toBe(`held process ${holder.child.pid} on ${os.hostname()}`);
    holder.child.stdin.end();
    await exited(holder.child);
    expect(existsSync(path.join(home, RUNNER_LOCK_FILE))).toBe(false);
    const after = await tryRunnerLock(home);
    expect(after.acquired).toBe(true);
    if (after.acquired) await after.lock.release();
  });

  it('takes over the lock of a runner that was killed while it held it', async () => {
    const holder = await take('hold');
    expect(holder.line).toBe('acquired');
    holder.child.kill('SIGKILL');
    await exited(holder.child);
    expect(existsSync(path.join(home, RUNNER_LOCK_FILE))).toBe(true);
    const attempt = await tryRunnerLock(home);
    expect(attempt.acquired).toBe(true);
    if (attempt.acquired) await attempt.lock.release();
  });

  it('of several runners starting at once, exactly one runs', async () => {
    const takers = await Promise.all([take('hold'), take('hold'), take('hold')]);
    expect(takers.filter((t) => t.line === 'acquired'), takers.map((t) => t.line).join(', ')).toHaveLength(1);
    for (const t of takers) t.child.stdin.end();
    await Promise.all(takers.map((t) => exited(t.child)));
  });
});
