import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerStore } from '../../electron/core/servers/server-store';
import { parseServerList } from '../../electron/core/servers/server-list-format';
import type { ServerFields } from '../../electron/core/servers/saved-server';

const here = path.dirname(fileURLToPath(import.meta.url));
let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-servers-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const xen = (over: Partial<ServerFields> = {}): ServerFields => ({
  type: 'xenserver',
  name: 'Pool A',
  host: 'xen-a.example.test',
  port: 443,
  username: 'root',
  autoConnect: true,
  rememberPassword: true,
  options: {},
  ...over,
});

const file = () => path.join(home, 'servers.json');
const corpses = () => readdirSync(home).filter((f) => f.startsWith('servers.json.corrupt-'));

describe('ServerStore', () => {
  it('starts empty, saves entries with ids and creation times, and reloads them', async () => {
    const store = await ServerStore.open(home);
    expect(store.list()).toEqual([]);
    expect(store.problem).toBeUndefined();
    const a = await store.add(xen());
    const b = await store.add(xen({ type: 'proxmox', name: 'PVE', host: '192.0.2.7', port: 8006, options: { realm: 'pam' } }));
    expect(a.id).not.toBe(b.id);
    expect(Date.parse(a.createdAt)).not.toBeNaN();

    const doc = JSON.parse(readFileSync(file(), 'utf8'));
    expect(doc.version).toBe(1);
    expect(doc.servers.map((s: { id: string }) => s.id)).toEqual([a.id, b.id]);

    const again = await ServerStore.open(home);
    expect(again.list()).toEqual([a, b]);
    const updated = await again.update(b.id, { name: 'PVE cluster', autoConnect: false });
    expect(updated).toMatchObject({ id: b.id, name: 'PVE cluster', autoConnect: false, createdAt: b.createdAt, options: { realm: 'pam' } });
    await again.remove(a.id);
    expect((await ServerStore.open(home)).list()).toEqual([updated]);
  });

  it('serializes concurrent changes so none is lost', async () => {
    const store = await ServerStore.open(home);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.add(xen({ host: `h${i}.test`, name: `H${i}` }))));
    expect((await ServerStore.open(home)).list()).toHaveLength(20);
  });

  it('rejects invalid entries with INVALID_INPUT and unknown ids with NOT_FOUND, changing nothing', async () => {
    const store = await ServerStore.open(home);
    await expect(store.add(xen({ port: 70000 }))).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(store.add(xen({ host: 'has space' }))).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(store.add(xen({ type: 'Hyper V!' as never }))).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    const a = await store.add(xen());
    await expect(store.update(a.id, { port: 0 })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(store.update('nope', { name: 'x' })).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
    await expect(store.remove('nope')).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
    expect((await ServerStore.open(home)).list()).toEqual([a]);
  });

  it('moves a file with bad JSON aside, reports it and starts empty without overwriting it', async () => {
    writeFileSync(file(), '{"version":1,"servers":[{"id":"a",');
    const store = await ServerStore.open(home);
    expect(store.list()).toEqual([]);
    expect(store.problem).toMatchObject({ file: file(), message: expect.stringMatching(/not valid JSON/) });
    expect(corpses()).toHaveLength(1);
    expect(store.problem!.keptAs).toBe(path.join(home, corpses()[0]));
    expect(readFileSync(store.problem!.keptAs, 'utf8')).toBe('{"version":1,"servers":[{"id":"a",');
    // the next save writes a fresh file; the kept copy stays
    await store.add(xen());
    expect(readFileSync(store.problem!.keptAs, 'utf8')).toBe('{"version":1,"servers":[{"id":"a",');
  });

  it('treats a wrong schema as unusable (kept aside, reported)', async () => {
    writeFileSync(file(), JSON.stringify({ version: 1, servers: [{ id: 'x', type: 'xenserver', host: 'h', port: 'eighty' }] }));
    const store = await ServerStore.open(home);
    expect(store.problem?.message).toMatch(/Server 1/);
    expect(corpses()).toHaveLength(1);
  });

  it('keeps a file from a newer version aside instead of losing its data', async () => {
    const future = JSON.stringify({ version: 2, servers: [], groups: [] });
    writeFileSync(file(), future);
    const store = await ServerStore.open(home);
    expect(store.problem?.message).toMatch(/newer Polyvisor.*version 2/);
    expect(readFileSync(store.problem!.keptAs, 'utf8')).toBe(future);
    expect(corpses()[0]).toMatch(/^servers\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
  });

  it('a crash between writing the temporary file and renaming it leaves a whole file (old or new)', async () => {
    const A = 3000;
    const B = 4000;
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'helpers/crash-writer.ts'), home, String(A), String(B)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
      });
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 120));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const store = await ServerStore.open(home);
      expect(store.problem).toBeUndefined();
      expect([A, B]).toContain(store.list().length);
    }
    expect(corpses()).toEqual([]);
  });
});

describe('server list import and export', () => {
  it('exports without passwords and imports the export elsewhere (round trip)', async () => {
    const store = await ServerStore.open(home);
    await store.add(xen());
    await store.add(xen({ type: 'docker', name: 'Local engine', host: 'localhost', port: 2375, username: '', options: { socketPath: '/var/run/docker.sock' } }));
    const exported = store.exportList();
    const doc = JSON.parse(exported);
    expect(doc).toMatchObject({ format: 'polyvisor-servers', version: 1 });
    expect(doc.servers).toHaveLength(2);
    expect(exported).not.toMatch(/"password"/i);
    expect(Object.keys(doc.servers[0]).sort()).toEqual(['autoConnect', 'host', 'name', 'options', 'port', 'rememberPassword', 'type', 'username']);

    const otherHome = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-servers-other-'));
    try {
      const other = await ServerStore.open(otherHome);
      await other.add(xen({ name: 'already here' }));
      const result = await other.importList(exported);
      expect(result.skipped).toBe(1);
      expect(result.added).toHaveLength(1);
      expect(result.added[0]).toMatchObject({ type: 'docker', name: 'Local engine', options: { socketPath: '/var/run/docker.sock' } });
      expect((await ServerStore.open(otherHome)).list().map((s) => s.name)).toEqual(['already here', 'Local engine']);
      // importing again adds nothing
      expect((await other.importList(exported)).added).toHaveLength(0);
    } finally {
      rmSync(otherHome, { recursive: true, force: true });
    }
  });

  it("imports XenCenter's exported server list, skipping duplicates", async () => {
    const xml = `\uFEFF<?xml version="1.0" encoding="utf-16"?>
<XenConnections>
  <XenConnection>
    <Hostname>192.168.11.13</Hostname>
    <Port>443</Port>
    <FriendlyName>xsm02</FriendlyName>
  </XenConnection>
  <XenConnection>
    <Hostname>xcp-lab.example.test</Hostname>
    <Port>8443</Port>
    <FriendlyName>Lab &amp; test pool</FriendlyName>
    <Username>admin</Username>
    <SaveDisconnected>true</SaveDisconnected>
  </XenConnection>
  <XenConnection>
    <Hostname>192.168.11.13</Hostname>
    <Port>443</Port>
    <FriendlyName>same again</FriendlyName>
  </XenConnection>
  <XenConnection>
    <Hostname>no-port.example.test</Hostname>
  </XenConnection>
</XenConnections>`;
    const store = await ServerStore.open(home);
    await store.add(xen({ host: 'XCP-LAB.example.test', port: 8443 }));
    const result = await store.importList(xml);
    expect(result.skipped).toBe(2);
    expect(result.added.map(({ type, name, host, port, username }) => ({ type, name, host, port, username }))).toEqual([
      { type: 'xenserver', name: 'xsm02', host: '192.168.11.13', port: 443, username: 'root' },
      { type: 'xenserver', name: 'no-port.example.test', host: 'no-port.example.test', port: 443, username: 'root' },
    ]);
    expect(parseServerList(xml)[1]).toMatchObject({ name: 'Lab & test pool', port: 8443, username: 'admin' });
  });

  it('refuses content that is neither format, or malformed, with INVALID_INPUT', async () => {
    const store = await ServerStore.open(home);
    for (const bad of [
      'hello',
      '<XenConnections><XenConnection><Hostname>a</Hostname></XenConnections>',
      '<Servers/>',
      '{"format":"something-else","version":1,"servers":[]}',
      '{"format":"polyvisor-servers","version":9,"servers":[]}',
      '{"format":"polyvisor-servers","version":1,"servers":[{"type":"xenserver","host":"a b","port":443}]}',
      '<XenConnections><XenConnection><Hostname>h</Hostname><Port>99999</Port></XenConnection></XenConnections>',
    ]) {
      await expect(store.importList(bad), bad).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    }
    expect(store.list()).toEqual([]);
  });
});
