// Following a profile file (electron/core/util/file-watch.ts, profile-file.ts): changes
// reported once and debounced, by events or by the periodic stat when a file system
// sends none; another process's change handed over as before/after while this
// process's own writes are not; a file made unusable from outside kept aside,
// reported, and the last good content written back; a file written in place (not
// renamed) given time to become whole.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreProblem } from '../../shared/contract';
import { ServerStore, type ServerListChange } from '../../electron/core/servers/server-store';
import { SettingsStore } from '../../electron/core/settings/settings-store';
import { writeFileAtomic } from '../../electron/core/util/atomic-file';
import { watchFile, type FileWatch } from '../../electron/core/util/file-watch';
import { ProfileFile, type OutsideChange } from '../../electron/core/util/profile-file';

let dir: string;
const closers: Array<{ close(): void }> = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-watch-'));
});
afterEach(() => {
  for (const c of closers.splice(0)) c.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function watching(file: string, options: Parameters<typeof watchFile>[2] = {}): { calls: () => number; watch: FileWatch } {
  let n = 0;
  const watch = watchFile(file, () => n++, { onError: (e) => expect.fail(e.message), ...options });
  closers.push(watch);
  return { calls: () => n, watch };
}

const counterSpec = (file: string) => ({
  file,
  version: 1,
  empty: () => ({ n: 0 }),
  parse: (doc: Record<string, unknown>) => (typeof doc.n === 'number' ? { n: doc.n } : 'no n'),
  body: (v: { n: number }) => ({ n: v.n }),
  settleMs: 50,
});

describe('watchFile', () => {
  it('reports a burst of writes once, after it settles', async () => {
    const file = path.join(dir, 'a.json');
    writeFileSync(file, '{}');
    const { calls } = watching(file, { debounceMs: 200, pollMs: 60_000 });
    await new Promise((r) => setTimeout(r, 50)); // the baseline
    for (let i = 0; i < 5; i++) writeFileSync(file, `{"i":${i}}`);
    await until(() => calls() === 1, 'the change');
    await new Promise((r) => setTimeout(r, 400));
    expect(calls()).toBe(1);
  });

  it('without file-system events (a network home folder), the periodic stat finds the change', async () => {
    const file = path.join(dir, 'b.json');
    const { calls } = watching(file, { useEvents: false, pollMs: 100 });
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(file, '{"created":true}');
    await until(() => calls() === 1, 'the creation');
    rmSync(file);
    await until(() => calls() === 2, 'the removal');
  });

  it('says nothing for a file that did not change, nor for its neighbours, nor after close()', async () => {
    const file = path.join(dir, 'c.json');
    writeFileSync(file, '{}');
    const { calls, watch } = watching(file, { debounceMs: 20, pollMs: 50 });
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(path.join(dir, 'neighbour.json'), '{}');
    await new Promise((r) => setTimeout(r, 300));
    expect(calls()).toBe(0);
    watch.close();
    writeFileSync(file, '{"x":1}');
    await new Promise((r) => setTimeout(r, 300));
    expect(calls()).toBe(0);
  });
});

describe('ProfileFile', () => {
  it('hands over another process’s change as before/after, but not its own writes', async () => {
    const file = path.join(dir, 'counter.json');
    const doc = await ProfileFile.open(counterSpec(file));
    const heard: Array<OutsideChange<{ n: number }>> = [];
    doc.onOutsideChange((c) => heard.push(c));
    doc.watch({ debounceMs: 20, pollMs: 100, onError: (e) => expect.fail(e.message) });
    closers.push(doc);
    await doc.update((cur) => ({ next: { n: cur.n + 1 }, result: undefined }));
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual([]);
    await writeFileAtomic(file, JSON.stringify({ version: 1, n: 41 }));
    await until(() => heard.length === 1, 'the outside change');
    expect(heard[0]).toEqual({ before: { n: 1 }, after: { n: 41 } });
    // the next change of this process is applied to what is on disk
    await doc.update((cur) => ({ next: { n: cur.n + 1 }, result: undefined }));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, n: 42 });
  });

  it('a change from outside not yet seen by the watch is taken in under the lock before writing', async () => {
    const file = path.join(dir, 'counter.json');
    const doc = await ProfileFile.open(counterSpec(file));
    const heard: Array<OutsideChange<{ n: number }>> = [];
    doc.onOutsideChange((c) => heard.push(c));
    await writeFileAtomic(file, JSON.stringify({ version: 1, n: 10 }));
    await doc.update((cur) => ({ next: { n: cur.n + 1 }, result: undefined }));
    expect(heard).toEqual([{ before: { n: 0 }, after: { n: 10 } }]);
    expect(doc.current()).toEqual({ n: 11 });
  });

  it('a file made unusable from outside is kept aside and reported; the last good content is written back', async () => {
    const file = path.join(dir, 'counter.json');
    await writeFileAtomic(file, JSON.stringify({ version: 1, n: 7 }));
    const doc = await ProfileFile.open(counterSpec(file));
    const problems: StoreProblem[] = [];
    doc.onProblem((p) => problems.push(p));
    doc.watch({ debounceMs: 20, pollMs: 100, onError: (e) => expect.fail(e.message) });
    closers.push(doc);
    writeFileSync(file, '{"version":1,"n":');
    await until(() => problems.length === 1, 'the problem');
    expect(problems[0]).toMatchObject({ file, message: expect.stringMatching(/not valid JSON/) });
    expect(readFileSync(problems[0].keptAs, 'utf8')).toBe('{"version":1,"n":');
    await until(() => existsSync(file), 'the write-back');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, n: 7 });
    expect(doc.current()).toEqual({ n: 7 });
  });

  it('a file being written in place is given time to become whole: no problem, one change', async () => {
    const file = path.join(dir, 'counter.json');
    await writeFileAtomic(file, JSON.stringify({ version: 1, n: 1 }));
    const doc = await ProfileFile.open({ ...counterSpec(file), settleMs: 150 });
    const problems: StoreProblem[] = [];
    const heard: Array<OutsideChange<{ n: number }>> = [];
    doc.onProblem((p) => problems.push(p));
    doc.onOutsideChange((c) => heard.push(c));
    doc.watch({ debounceMs: 10, pollMs: 50, onError: (e) => expect.fail(e.message) });
    closers.push(doc);
    writeFileSync(file, '{"version":1,');
    await new Promise((r) => setTimeout(r, 80));
    writeFileSync(file, '{"version":1,"n":2}');
    await until(() => heard.length === 1, 'the change');
    expect(heard[0].after).toEqual({ n: 2 });
    expect(problems).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toEqual([]);
  });
});

describe('stores following their file', () => {
  it('ServerStore: another process’s add, change and removal arrive as a list change', async () => {
    const app = await ServerStore.open(dir);
    const other = await ServerStore.open(dir);
    const heard: ServerListChange[] = [];
    app.watch((c) => heard.push(c), { debounceMs: 20, pollMs: 100, onError: (e) => expect.fail(e.message), onProblem: (p) => expect.fail(p.message) });
    closers.push(app);
    const added = await other.add({ type: 'xenserver', name: 'pool', host: 'pool.lab', port: 443, username: 'root', autoConnect: true, rememberPassword: true, options: {} });
    await until(() => heard.length === 1, 'the add');
    expect(heard[0]).toEqual({ added: [added], removed: [], changed: [] });
    expect(app.get(added.id)).toEqual(added);
    const renamed = await other.update(added.id, { name: 'renamed' });
    await until(() => heard.length === 2, 'the change');
    expect(heard[1]).toEqual({ added: [], removed: [], changed: [{ before: added, after: renamed }] });
    await other.remove(added.id);
    await until(() => heard.length === 3, 'the removal');
    expect(heard[2]).toEqual({ added: [], removed: [renamed], changed: [] });
  });

  it('SettingsStore: a key set by another process stays when this one sets another key', async () => {
    const app = await SettingsStore.open(dir);
    const other = await SettingsStore.open(dir);
    await other.set({ theme: 'dark' });
    const after = await app.set({ language: 'zh-CN' });
    expect(after).toMatchObject({ theme: 'dark', language: 'zh-CN' });
    expect((await SettingsStore.open(dir)).get()).toMatchObject({ theme: 'dark', language: 'zh-CN' });
  });
});
