// One writer at a time across processes (electron/core/util/file-lock.ts): real child
// processes contend for the lock; stale locks (a dead owner on this host, an owner on
// another host that stopped refreshing, a half-written lock) are broken, live ones
// are waited for; and two ServerStores in two processes adding at once keep every server.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerStore } from '../../electron/core/servers/server-store';
import { acquireFileLock, lockPathOf, withFileLock } from '../../electron/core/util/file-lock';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Starts a profile-writer child; resolves once it waits for "go". */
async function writer(args: string[]): Promise<{ child: ChildProcess; done: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'helpers/profile-writer.ts'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const done = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('done\n')) resolve();
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${args.join(' ')} exited with ${code}`))));
  });
  await new Promise<void>((resolve, reject) => {
    const onData = () => out.includes('ready\n') && resolve();
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`writer exited before it was ready (${code})`)));
  });
  return { child, done };
}

/** A process id that no longer runs on this host. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

function writeLock(file: string, owner: object | string, ageMs = 0): void {
  const lock = lockPathOf(file);
  writeFileSync(lock, typeof owner === 'string' ? owner : JSON.stringify(owner));
  const then = new Date(Date.now() - ageMs);
  utimesSync(lock, then, then);
}

describe('file lock across processes', () => {
  it('three processes incrementing one counter under the lock lose no update', async () => {
    const counter = path.join(dir, 'counter');
    writeFileSync(counter, '0');
    const writers = await Promise.all([1, 2, 3].map(() => writer(['counter', counter, '40'])));
    for (const w of writers) w.child.stdin!.end('go\n');
    await Promise.all(writers.map((w) => w.done));
    expect(Number(readFileSync(counter, 'utf8'))).toBe(120);
    expect(existsSync(lockPathOf(counter))).toBe(false);
  }, 60_000);

  it('two processes adding servers to one profile at once: every server is kept', async () => {
    const writers = await Promise.all(['app', 'cli'].map((prefix) => writer(['add-servers', dir, prefix, '15'])));
    for (const w of writers) w.child.stdin!.end('go\n');
    await Promise.all(writers.map((w) => w.done));
    const names = (await ServerStore.open(dir)).list().map((s) => s.name);
    expect(names).toHaveLength(30);
    for (const prefix of ['app', 'cli']) for (let i = 0; i < 15; i++) expect(names).toContain(`${prefix}-${i}`);
  }, 60_000);
});

describe('stale and live locks', () => {
  const file = () => path.join(dir, 'servers.json');

  it('a lock left by a process of this host that no longer runs is taken over at once', async () => {
    writeLock(file(), { pid: await deadPid(), host: os.hostname(), token: 'dead', at: new Date().toISOString() });
    const started = Date.now();
    await withFileLock(file(), async () => {
      expect(JSON.parse(readFileSync(lockPathOf(file()), 'utf8'))).toMatchObject({ pid: process.pid });
    }, { staleMs: 60_000, timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(existsSync(lockPathOf(file()))).toBe(false);
  });

  it('a fresh lock of another host is waited for, and the wait ends in TIMEOUT naming the owner', async () => {
    writeLock(file(), { pid: 4242, host: 'other-host.example', token: 't', at: new Date().toISOString() });
    const err = await withFileLock(file(), async () => 'ran', { staleMs: 60_000, timeoutMs: 400 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ info: { code: 'TIMEOUT', message: expect.stringContaining('process 4242 on other-host.example') } });
    // the other host's lock is still there
    expect(JSON.parse(readFileSync(lockPathOf(file()), 'utf8'))).toMatchObject({ host: 'other-host.example' });
  });

  it('a lock of another host that was not refreshed within staleMs is broken', async () => {
    writeLock(file(), { pid: 4242, host: 'other-host.example', token: 't', at: '2020-01-01T00:00:00Z' }, 10_000);
    expect(await withFileLock(file(), async () => 'ran', { staleMs: 5_000, timeoutMs: 2_000 })).toBe('ran');
  });

  it('a half-written lock is waited for while young and broken when old', async () => {
    writeLock(file(), '');
    await expect(withFileLock(file(), async () => 'ran', { staleMs: 60_000, timeoutMs: 300 })).rejects.toMatchObject({ info: { code: 'TIMEOUT' } });
    writeLock(file(), '', 120_000);
    expect(await withFileLock(file(), async () => 'ran', { staleMs: 60_000, timeoutMs: 2_000 })).toBe('ran');
  });

  it('a live holder is waited for until it releases', async () => {
    const held = await acquireFileLock(file());
    const order: string[] = [];
    const second = withFileLock(file(), async () => order.push('second'), { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 150));
    order.push('first releases');
    await held.release();
    await second;
    expect(order).toEqual(['first releases', 'second']);
  });

  it('a holder whose lock was broken as stale does not remove the new owner’s lock', async () => {
    const held = await acquireFileLock(file(), { staleMs: 60_000 });
    // another process judged it stale and took the lock over
    writeLock(file(), { pid: 4242, host: 'other-host.example', token: 'new-owner', at: new Date().toISOString() });
    await held.release();
    expect(JSON.parse(readFileSync(lockPathOf(file()), 'utf8'))).toMatchObject({ token: 'new-owner' });
  });
});
