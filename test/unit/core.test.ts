// The core through its contract, without a hypervisor: settings, the saved host
// list, passwords, certificates and input checks. (Connections against a real
// XAPI simulator are in test/integration/core-xapi.test.ts.)

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMap, EventName } from '../../shared/contract';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { serverNodeId } from '../../electron/core/inventory/inventory-store';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { boundAccount } from '../../electron/core/services/credentials';

let home: string;
let core: PolyvisorCore | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-core-'));
});
afterEach(async () => {
  await core?.stop();
  core = undefined;
  rmSync(home, { recursive: true, force: true });
});

async function open(secrets = new MemorySecretStore()) {
  core = await createAppCore('web', { home, secrets, providers: [xenServerProviderFactory], version: '1.2.3', inventoryBatchMs: 5 });
  return core;
}

function record<E extends EventName>(c: PolyvisorCore, event: E): EventMap[E][] {
  const out: EventMap[E][] = [];
  c.on(event, (p) => out.push(p));
  return out;
}

describe('core: app and settings', () => {
  it('describes itself: version, mode, keychain, providers, default settings', async () => {
    const c = await open();
    expect(await c.invoke('app:info')).toEqual({
      version: '1.2.3',
      mode: 'web',
      keychain: { available: true },
      storeProblems: [],
      settings: { reconnectAtStart: true, showTemplates: false, language: 'system', theme: 'system' },
      providers: [xenServerProviderFactory.descriptor],
    });
  });

  it('changes, persists and announces settings; refuses unknown keys and values', async () => {
    const c = await open();
    const changed = record(c, 'settings:changed');
    expect(await c.invoke('settings:set', { theme: 'dark', language: 'zh-CN' })).toMatchObject({ theme: 'dark', language: 'zh-CN', reconnectAtStart: true });
    expect(changed).toHaveLength(1);
    await expect(c.invoke('settings:set', { theme: 'purple' } as never)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(c.invoke('settings:set', { fontSize: 12 } as never)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await c.stop();
    const again = await open();
    expect((await again.invoke('app:info')).settings).toMatchObject({ theme: 'dark', language: 'zh-CN' });
  });

  it('reports unusable store files in app:info and as store:problem events on start', async () => {
    writeFileSync(path.join(home, 'servers.json'), 'not json');
    writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ version: 7, settings: {} }));
    const c = await open();
    const problems = record(c, 'store:problem');
    const info = await c.invoke('app:info');
    expect(info.storeProblems.map((p) => path.basename(p.file)).sort()).toEqual(['servers.json', 'settings.json']);
    await c.start();
    expect(problems).toHaveLength(2);
    expect(readdirSync(home).filter((f) => f.includes('.corrupt-'))).toHaveLength(2);
    expect(await c.invoke('servers:list')).toEqual([]);
  });
});

describe('core: saved servers', () => {
  it('adds a server with defaults, shows it in the tree, never returns the password', async () => {
    const secrets = new MemorySecretStore();
    const c = await open(secrets);
    const changed = record(c, 'server:changed');
    const deltas = record(c, 'inventory:delta');
    const view = await c.invoke('servers:add', { type: 'xenserver', host: ' xen-a.test ', username: 'root', password: 's3cret' });
    expect(view).toMatchObject({ type: 'xenserver', name: 'xen-a.test', host: 'xen-a.test', port: 443, autoConnect: true, rememberPassword: true, hasStoredPassword: true, state: 'disconnected' });
    expect(JSON.stringify(view)).not.toContain('s3cret');
    expect(await secrets.get(boundAccount(view))).toBe('s3cret');
    expect(readFileSync(path.join(home, 'servers.json'), 'utf8')).not.toContain('s3cret');
    expect(changed.at(-1)).toEqual(view);
    expect(await c.invoke('servers:list')).toEqual([view]);
    const nodes = await c.invoke('inventory:get');
    expect(nodes).toEqual([expect.objectContaining({ id: serverNodeId(view.id), kind: 'server', parentId: null, name: 'xen-a.test' })]);
    await sleep(20);
    expect(deltas.flatMap((d) => d.upsert.map((n) => n.id))).toContain(serverNodeId(view.id));
  });

  it('does not keep the password when the user does not want it remembered', async () => {
    const secrets = new MemorySecretStore();
    const c = await open(secrets);
    const view = await c.invoke('servers:add', { type: 'xenserver', host: 'h.test', username: 'root', password: 'once', rememberPassword: false });
    expect(view.hasStoredPassword).toBe(false);
    expect(await secrets.get(boundAccount(view))).toBeNull();
  });

  it('refuses bad drafts with INVALID_INPUT and unknown ids with NOT_FOUND', async () => {
    const c = await open();
    await expect(c.invoke('servers:add', { type: 'hyperv', host: 'h' } as never)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    // a type this build has no provider for
    await expect(c.invoke('servers:add', { type: 'proxmox', host: 'h' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'type' } });
    await expect(c.invoke('servers:add', { type: 'xenserver', host: '' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(c.invoke('servers:add', { type: 'xenserver', host: 'h', port: -1 })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(c.invoke('servers:add', null as never)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(c.invoke('servers:connect', 'nope')).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
    await expect(c.invoke('servers:remove', 42 as never)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    expect(await c.invoke('servers:list')).toEqual([]);
  });

  it('updates fields and the password, forgets the stored password when asked, refuses type changes', async () => {
    const secrets = new MemorySecretStore();
    const c = await open(secrets);
    const v = await c.invoke('servers:add', { type: 'xenserver', host: 'h.test', username: 'root', password: 'one' });
    const u = await c.invoke('servers:update', v.id, { name: 'Renamed', port: 8443, password: 'two' });
    expect(u).toMatchObject({ name: 'Renamed', port: 8443, hasStoredPassword: true });
    // the new port is a new endpoint: the password typed with it is kept for it, the old one is gone
    expect(await secrets.get(boundAccount(u))).toBe('two');
    expect(await secrets.get(boundAccount(v))).toBeNull();
    const off = await c.invoke('servers:update', v.id, { rememberPassword: false });
    expect(off.hasStoredPassword).toBe(false);
    expect(await secrets.get(boundAccount(u))).toBeNull();
    await expect(c.invoke('servers:update', v.id, { type: 'docker' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    expect((await c.invoke('inventory:get')).find((n) => n.kind === 'server')?.name).toBe('Renamed');
  });

  it('removes a server: its secret, its tree node and a server:removed event', async () => {
    const secrets = new MemorySecretStore();
    const c = await open(secrets);
    const removed = record(c, 'server:removed');
    const v = await c.invoke('servers:add', { type: 'xenserver', host: 'h.test', username: 'root', password: 'pw' });
    await c.invoke('servers:remove', v.id);
    expect(removed).toEqual([{ id: v.id }]);
    expect(await secrets.get(boundAccount(v))).toBeNull();
    expect(await c.invoke('servers:list')).toEqual([]);
    expect(await c.invoke('inventory:get')).toEqual([]);
  });

  it('asks for the password (PASSWORD_REQUIRED) when none is known, without trying to connect', async () => {
    const c = await open();
    const v = await c.invoke('servers:add', { type: 'xenserver', host: '127.0.0.1', port: 9, username: 'root', rememberPassword: false });
    const after = await c.invoke('servers:connect', v.id);
    expect(after.state).toBe('error');
    expect(after.error).toMatchObject({ code: 'PASSWORD_REQUIRED', message: expect.stringContaining('root@127.0.0.1') });
    const node = (await c.invoke('inventory:get')).find((n) => n.kind === 'server');
    expect(node?.props).toMatchObject({ connection: 'error', errorCode: 'PASSWORD_REQUIRED' });
  });

  it('exports without passwords and imports (ours and XenCenter’s), announcing the new servers', async () => {
    const c = await open();
    await c.invoke('servers:add', { type: 'xenserver', host: 'a.test', username: 'root', password: 'pw-a' });
    const exported = await c.invoke('servers:export');
    expect(exported).not.toContain('pw-a');
    const changed = record(c, 'server:changed');
    expect(await c.invoke('servers:import', exported)).toEqual({ added: 0, skipped: 1 });
    const xml = '<?xml version="1.0" encoding="utf-16"?><XenConnections><XenConnection><Hostname>b.test</Hostname><Port>443</Port><FriendlyName>B</FriendlyName></XenConnection></XenConnections>';
    expect(await c.invoke('servers:import', xml)).toEqual({ added: 1, skipped: 0 });
    expect(changed.map((v) => v.name)).toEqual(['B']);
    expect((await c.invoke('servers:list')).map((s) => s.host)).toEqual(['a.test', 'b.test']);
    await expect(c.invoke('servers:import', 'garbage')).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });
});

describe('core: certificates, actions, tasks, consoles without a connection', () => {
  it('certs:accept needs a certificate the server actually presented', async () => {
    const c = await open();
    const v = await c.invoke('servers:add', { type: 'xenserver', host: 'h.test', username: 'root', password: 'pw' });
    await expect(c.invoke('certs:accept', v.id, 'AA:BB')).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await c.invoke('certs:forget', v.id);
  });

  it('actions:run checks the request and the targets', async () => {
    const c = await open();
    const v = await c.invoke('servers:add', { type: 'xenserver', host: 'h.test', username: 'root', password: 'pw' });
    await expect(c.invoke('actions:run', { nodeIds: [], action: 'start' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(c.invoke('actions:run', { nodeIds: ['x'], action: 'explode' as never })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(c.invoke('actions:run', { nodeIds: ['x'], action: 'start', params: { memory: 'yes' } as never })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(c.invoke('actions:run', { nodeIds: ['x:vm:1'], action: 'start' })).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
    await expect(c.invoke('actions:run', { nodeIds: [serverNodeId(v.id)], action: 'start' })).rejects.toMatchObject({ info: { code: 'CONNECTION_FAILED' } });
    expect(await c.invoke('tasks:list')).toEqual([]);
    await expect(c.invoke('tasks:cancel', 'nope')).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
    await c.invoke('tasks:clearFinished');
  });

  it('console:open checks protocol and node', async () => {
    const c = await open();
    await expect(c.invoke('console:open', 'x:vm:1', 'vnc' as never)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(c.invoke('console:open', 'x:vm:1', 'rfb')).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
  });
});
