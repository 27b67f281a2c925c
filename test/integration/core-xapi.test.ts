// The whole core against the XAPI simulator, through the contract only:
// add a server → CERT_UNTRUSTED with the fingerprint → certs:accept → connected →
// the live tree → a snapshot task whose snapshot appears → failures carry XAPI's
// own codes → a restarted app reconnects with the pin and the stored password.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap, EventName, ServerView } from '../../shared/contract';
import type { InventoryDelta, InventoryNode } from '../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { boundAccount } from '../../electron/core/services/credentials';
import { serverNodeId } from '../../electron/core/inventory/inventory-store';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';

const PROVIDER_OPTIONS = { eventTimeoutS: 5, taskPollMs: 50, reconnectMinMs: 100, reconnectMaxMs: 500 };

let sim: XapiSimulator;
let home: string;
let secrets: MemorySecretStore;
let core: PolyvisorCore;
let server: ServerView;
const events: { [E in EventName]?: EventMap[E][] } = {};
/** what a renderer applying the inventory:delta events holds */
const rendered = new Map<string, InventoryNode>();

function listen(c: PolyvisorCore): void {
  for (const e of ['inventory:delta', 'server:changed', 'task:changed'] as const) {
    c.on(e, (p) => ((events[e] ??= []) as unknown[]).push(p));
  }
  c.on('inventory:delta', (d: InventoryDelta) => {
    if (d.reset) for (const [id, n] of rendered) if (n.serverId === d.serverId) rendered.delete(id);
    for (const id of d.remove) rendered.delete(id);
    for (const n of d.upsert) rendered.set(n.id, n);
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const liveVms = () => [...sim.db.records('VM').values()].filter((r) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain);

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 2 }, taskDurationMs: 600 });
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-core-xapi-'));
  secrets = new MemorySecretStore();
  core = await createAppCore('web', { home, secrets, providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
  listen(core);
});
afterAll(async () => {
  await core?.stop();
  await sim?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('core ⇄ XAPI simulator', () => {
  it('a new server with a self-signed certificate stops at CERT_UNTRUSTED with the fingerprint', async () => {
    server = await core.invoke('servers:add', {
      type: 'xenserver',
      name: 'Sim pool',
      host: sim.host,
      port: sim.port,
      username: 'root',
      options: PROVIDER_OPTIONS,
    });
    expect(server.hasStoredPassword).toBe(false);
    // the password typed in the connect prompt
    const view = await core.invoke('servers:connect', server.id, 'password');
    expect(view.state).toBe('error');
    expect(view.error?.code).toBe('CERT_UNTRUSTED');
    expect(view.error?.certificate).toMatchObject({ host: sim.host, port: sim.port, fingerprint256: sim.fingerprint256 });
    expect(view.pinnedFingerprint).toBeUndefined();
    // not proven right yet: not in the keychain
    expect(await secrets.get(boundAccount(server))).toBeNull();
    expect(events['server:changed']!.map((v) => v.state)).toEqual(expect.arrayContaining(['connecting', 'error']));
  });

  it('certs:accept refuses a fingerprint that is not the presented one, and pins nothing', async () => {
    const wrong = sim.fingerprint256.replace(/^../, sim.fingerprint256.startsWith('00') ? '11' : '00');
    await expect(core.invoke('certs:accept', server.id, wrong)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    expect(existsSync(path.join(home, 'known-certificates.json'))).toBe(false);
  });

  it('certs:accept with the right fingerprint pins it and connects', async () => {
    const view = await core.invoke('certs:accept', server.id, sim.fingerprint256.toLowerCase());
    expect(view.state).toBe('connected');
    expect(view.error).toBeUndefined();
    expect(view.pinnedFingerprint).toBe(sim.fingerprint256);
    expect(view.capabilities?.snapshotKinds).toContain('disk');
    // the password typed before the certificate prompt was right: now it is remembered
    expect(view.hasStoredPassword).toBe(true);
    expect(await secrets.get(boundAccount(server))).toBe('password');
    expect(readFileSync(path.join(home, 'known-certificates.json'), 'utf8')).toContain(sim.fingerprint256);
  });

  it('inventory:get shows server → pool → hosts → VMs, and the batched events say the same', async () => {
    const nodes = await core.invoke('inventory:get');
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const root = byId.get(serverNodeId(server.id))!;
    expect(root).toMatchObject({ kind: 'server', parentId: null, name: 'Sim pool', props: { connection: 'connected' } });
    const pools = nodes.filter((n) => n.kind === 'pool');
    expect(pools).toHaveLength(1);
    expect(pools[0]!.parentId).toBe(root.id);
    const hosts = nodes.filter((n) => n.kind === 'host');
    expect(hosts.map((h) => h.name).sort()).toEqual([...sim.db.records('host').values()].map((h) => h.name_label).sort());
    for (const h of hosts) expect(h.parentId).toBe(pools[0]!.id);
    const vms = nodes.filter((n) => n.kind === 'vm' && !n.controlDomain);
    expect(vms.map((v) => v.name).sort()).toEqual(liveVms().map((v) => v.name_label).sort());
    expect(nodes.filter((n) => n.kind === 'snapshot')).toHaveLength(2);

    await until('the renderer view to settle', () => rendered.size === nodes.length || undefined);
    expect(new Set(rendered.keys())).toEqual(new Set(byId.keys()));
    // one reset from the provider reached the renderer as few events, not one per object
    expect(events['inventory:delta']!.length).toBeLessThan(10);
  });

  it('actions:run snapshot_create runs a task that succeeds, and the snapshot appears in the tree', async () => {
    const vm = (await core.invoke('inventory:get')).find((n) => n.kind === 'vm' && !n.controlDomain && n.allowed.includes('snapshot_create'))!;
    expect(vm).toBeDefined();
    const [task] = await core.invoke('actions:run', { nodeIds: [vm.id], action: 'snapshot_create', params: { name: 'before upgrade', description: 'core test' } });
    expect(task).toMatchObject({ status: 'running', serverId: server.id, targetId: vm.id, targetName: vm.name, action: 'snapshot_create' });
    const done = await core.waitForTask(task!.id);
    expect(done.status).toBe('success');
    expect(done.resultId).toMatch(new RegExp(`^${server.id}:snapshot:OpaqueRef:`));
    const snap = await until('the snapshot node', async () => (await core.invoke('inventory:get')).find((n) => n.id === done.resultId));
    expect(snap).toMatchObject({ kind: 'snapshot', name: 'before upgrade' });
    expect(snap.snapshot?.ofId).toBe(vm.id);
    await until('the snapshot in the renderer view', () => rendered.get(done.resultId!));
    const taskEvents = events['task:changed']!.filter((t) => t.id === task!.id);
    expect(taskEvents.at(-1)).toMatchObject({ status: 'success', progress: 1 });
    expect((await core.invoke('tasks:list')).find((t) => t.id === task!.id)?.status).toBe('success');
  });

  it('one task per selected VM (multi-select), each with its own outcome', async () => {
    const vms = (await core.invoke('inventory:get')).filter((n) => n.kind === 'vm' && !n.controlDomain && n.allowed.includes('snapshot_create')).slice(0, 2);
    expect(vms).toHaveLength(2);
    const tasks = await core.invoke('actions:run', { nodeIds: vms.map((v) => v.id), action: 'snapshot_create' });
    expect(tasks.map((t) => t.targetId)).toEqual(vms.map((v) => v.id));
    const done = await Promise.all(tasks.map((t) => core.waitForTask(t.id)));
    expect(done.map((t) => t.status)).toEqual(['success', 'success']);
  });

  it('a server-side failure comes back on the task with XAPI’s own code', async () => {
    const vm = (await core.invoke('inventory:get')).find((n) => n.kind === 'vm' && !n.controlDomain && n.allowed.includes('snapshot_create'))!;
    // the Async task fails on the server, as a full SR would make it
    sim.faults.failNext('VM.snapshot', ['SR_FULL', 'OpaqueRef:sr', '1024', '2048']);
    const [task] = await core.invoke('actions:run', { nodeIds: [vm.id], action: 'snapshot_create', params: { name: 'doomed' } });
    const done = await core.waitForTask(task!.id);
    expect(done.status).toBe('failure');
    expect(done.error).toMatchObject({ code: 'SERVER_ERROR', serverCode: 'SR_FULL', serverParams: ['OpaqueRef:sr', '1024', '2048'] });
  });

  it('tasks:cancel stops a running task on the server', async () => {
    const vm = (await core.invoke('inventory:get')).find((n) => n.kind === 'vm' && !n.controlDomain && n.allowed.includes('snapshot_create'))!;
    const [task] = await core.invoke('actions:run', { nodeIds: [vm.id], action: 'snapshot_create', params: { name: 'cancel me' } });
    await until('the task to become cancellable', async () => (await core.invoke('tasks:list')).find((t) => t.id === task!.id && t.cancellable));
    await core.invoke('tasks:cancel', task!.id);
    const done = await core.waitForTask(task!.id);
    sim.faults.clear();
    expect(done.status).toBe('cancelled');
    expect(done.error?.code).toBe('CANCELLED');
    const names = [...sim.db.records('VM').values()].filter((r) => r.is_a_snapshot).map((r) => r.name_label);
    expect(names).not.toContain('cancel me');
  });

  it('an action the server does not allow now is refused before any task starts', async () => {
    const running = (await core.invoke('inventory:get')).find((n) => n.kind === 'vm' && !n.controlDomain && n.state === 'running')!;
    expect(running.allowed).not.toContain('start');
    const before = (await core.invoke('tasks:list')).length;
    await expect(core.invoke('actions:run', { nodeIds: [running.id], action: 'start' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    expect((await core.invoke('tasks:list')).length).toBe(before);
  });

  it('disconnect keeps only the server node; a restarted app reconnects with the pin and the stored password', async () => {
    const view = await core.invoke('servers:disconnect', server.id);
    expect(view.state).toBe('disconnected');
    expect((await core.invoke('inventory:get')).map((n) => n.id)).toEqual([serverNodeId(server.id)]);
    await until('the renderer to drop the tree', () => rendered.size === 1 || undefined);
    await core.stop();

    core = await createAppCore('web', { home, secrets, providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
    rendered.clear();
    listen(core);
    await core.start();
    const [again] = await core.invoke('servers:list');
    expect(again).toMatchObject({ id: server.id, state: 'connected', hasStoredPassword: true, pinnedFingerprint: sim.fingerprint256 });
    expect((await core.invoke('inventory:get')).filter((n) => n.kind === 'vm' && !n.controlDomain).length).toBe(liveVms().length);
  });

  it('a wrong password gives AUTH_FAILED; connecting with the right one fixes it and is remembered', async () => {
    await core.invoke('servers:disconnect', server.id);
    const typo = await core.invoke('servers:connect', server.id, 'typo');
    expect(typo.error?.code).toBe('AUTH_FAILED');
    expect(await secrets.get(boundAccount(server))).toBe('password'); // a wrong typed password is not remembered
    await core.invoke('servers:update', server.id, { password: 'wrong' });
    const failed = await core.invoke('servers:connect', server.id);
    expect(failed.state).toBe('error');
    expect(failed.error?.code).toBe('AUTH_FAILED');
    const fixed = await core.invoke('servers:connect', server.id, 'password');
    expect(fixed.state).toBe('connected');
    expect(await secrets.get(boundAccount(server))).toBe('password');
  });

  it('a changed certificate is refused as CERT_CHANGED with both fingerprints', async () => {
    await core.invoke('servers:disconnect', server.id);
    const old = sim.fingerprint256;
    await sim.rotateCertificate();
    const view = await core.invoke('servers:connect', server.id);
    expect(view.state).toBe('error');
    expect(view.error).toMatchObject({ code: 'CERT_CHANGED', pinnedFingerprint: old, certificate: { fingerprint256: sim.fingerprint256 } });
    const accepted = await core.invoke('certs:accept', server.id, sim.fingerprint256);
    expect(accepted).toMatchObject({ state: 'connected', pinnedFingerprint: sim.fingerprint256 });
  });
});
