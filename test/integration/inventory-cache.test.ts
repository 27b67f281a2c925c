// The last known tree (issue 17): a core that knew a XAPI pool and a Proxmox VE
// cluster opens with both trees from the profile while neither is reachable (the
// simulators' ports closed), each node checked against the simulators' own state;
// the trees turn live when the servers come back on the same ports, with what
// changed meanwhile. The cache file holds no password, session or ticket; a corrupt
// one is kept aside and reported; removing a server removes its file; the setting
// turns it off.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView, StoreProblem } from '../../shared/contract';
import type { InventoryNode } from '../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { lastKnownFile } from '../../electron/core/connections/last-known-file';
import { proxmoxProviderFactory } from '../../electron/core/providers/proxmox';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../sim/proxmox';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { until } from './until';

const XAPI_PASSWORD = 'xapi-Secret-4417-pw';
const PVE_PASSWORD = 'pve-Secret-9931-pw';
const XAPI_OPTIONS = { eventTimeoutS: 2, taskPollMs: 50, reconnectMinMs: 100, reconnectMaxMs: 400 };
const PVE_OPTIONS = { realm: 'pam', pollIntervalMs: 200, taskPollMs: 25, reconnectDelayMs: 100, reconnectMaxMs: 400 };

let xapi: XapiSimulator;
let pve: ProxmoxSimulator;
let home: string;
const secrets = new MemorySecretStore();
const cores: PolyvisorCore[] = [];
let xapiId = '';
let pveId = '';

async function openCore(): Promise<PolyvisorCore> {
  const core = await createAppCore('web', { home, secrets, providers: [xenServerProviderFactory, proxmoxProviderFactory], inventoryBatchMs: 10 });
  cores.push(core);
  return core;
}

async function closeCore(core: PolyvisorCore): Promise<void> {
  await core.stop();
  cores.splice(cores.indexOf(core), 1);
}

async function addTrusted(core: PolyvisorCore, draft: Record<string, unknown>): Promise<ServerView> {
  const added = await core.invoke('servers:add', draft as never);
  const first = await core.invoke('servers:connect', added.id);
  if (first.state === 'connected') return first;
  expect(first.error?.code).toBe('CERT_UNTRUSTED');
  return core.invoke('certs:accept', added.id, first.error!.certificate!.fingerprint256);
}

/** The simulator's own guests, as (name, running) pairs. */
function xapiGuests(): string[] {
  return [...xapi.db.records('VM').values()]
    .filter((r) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain)
    .map((r) => `${r.name_label} ${String(r.power_state).toLowerCase()}`)
    .sort();
}
function pveGuests(): string[] {
  return [...pve.state.guests.values()].filter((g) => !g.template).map((g) => `${g.name} ${g.status === 'running' ? 'running' : 'halted'}`).sort();
}
function treeGuests(nodes: InventoryNode[], serverId: string): string[] {
  return nodes
    .filter((n) => n.serverId === serverId && (n.kind === 'vm' || n.kind === 'container') && !n.controlDomain)
    .map((n) => `${n.name} ${n.state}`)
    .sort();
}
const treeHosts = (nodes: InventoryNode[], serverId: string) => nodes.filter((n) => n.serverId === serverId && n.kind === 'host').map((n) => n.name).sort();

beforeAll(async () => {
  [xapi, pve] = await Promise.all([
    startXapiSimulator({ generate: { hosts: 2, vms: 5, snapshots: 1 }, password: XAPI_PASSWORD, poolName: 'cached pool' }),
    startProxmoxSimulator({ password: PVE_PASSWORD }),
  ]);
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-last-known-'));
}, 60_000);

afterAll(async () => {
  for (const core of [...cores]) await core.stop();
  await Promise.all([xapi?.stop(), pve?.stop()]);
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('the last known tree', () => {
  it('is written for each connected server, compact and without a password, session or ticket', async () => {
    const core = await openCore();
    await core.start();
    const x = await addTrusted(core, { type: 'xenserver', name: 'Pool', host: xapi.host, port: xapi.port, username: 'root', password: XAPI_PASSWORD, rememberPassword: true, autoConnect: true, options: XAPI_OPTIONS });
    const p = await addTrusted(core, { type: 'proxmox', name: 'Cluster', host: pve.host, port: pve.port, username: 'root', password: PVE_PASSWORD, rememberPassword: true, autoConnect: true, options: PVE_OPTIONS });
    expect([x.state, p.state]).toEqual(['connected', 'connected']);
    xapiId = x.id;
    pveId = p.id;
    await until('both trees', async () => treeGuests(await core.invoke('inventory:get'), xapiId).length === xapiGuests().length && treeGuests(await core.invoke('inventory:get'), pveId).length === pveGuests().length);
    const sessions = [...xapi.db.records('session').entries()].flatMap(([ref, r]) => [ref, String(r.uuid)]);
    expect(sessions.length).toBeGreaterThan(0);
    await closeCore(core);

    for (const id of [xapiId, pveId]) {
      const text = readFileSync(lastKnownFile(home, id), 'utf8');
      for (const secret of [XAPI_PASSWORD, PVE_PASSWORD, ...sessions, 'PVE:root@pam', 'PVEAuthCookie', 'CSRFPreventionToken', 'session_id']) expect(text).not.toContain(secret);
      expect(text.split('\n').length).toBe(2); // one line: no indentation
      const doc = JSON.parse(text) as { version: number; serverId: string; at: number; nodes: Array<Record<string, unknown>> };
      expect(doc.version).toBe(1);
      expect(doc.nodes.every((n) => !('allowed' in n) && !('serverId' in n))).toBe(true);
    }
  }, 120_000);

  it('shows both trees at start with no server reachable, node by node as the simulators hold them', async () => {
    const xapiBefore = xapiGuests();
    const pveBefore = pveGuests();
    const xapiHosts = [...xapi.db.records('host').values()].map((h) => String(h.name_label)).sort();
    const pveHosts = [...pve.state.nodes.values()].map((n) => n.name).sort();
    await Promise.all([xapi.down(), pve.down()]);

    const core = await openCore();
    // before start(): the tree is there from the profile alone
    const cached = await core.invoke('inventory:get');
    expect(treeGuests(cached, xapiId)).toEqual(xapiBefore);
    expect(treeGuests(cached, pveId)).toEqual(pveBefore);
    expect(treeHosts(cached, xapiId)).toEqual(xapiHosts);
    expect(treeHosts(cached, pveId)).toEqual(pveHosts);
    expect(cached.filter((n) => n.kind !== 'server').every((n) => n.allowed.length === 0)).toBe(true);
    const views = await core.invoke('servers:list');
    for (const v of views) {
      expect(v.state).toBe('disconnected');
      expect(v.lastKnownAt).toBeGreaterThan(Date.now() - 5 * 60_000);
    }

    // connecting fails (nothing listens): the last known trees stay, still marked
    await core.start();
    const failed = await core.invoke('servers:list');
    expect(failed.map((v) => v.state)).toEqual(['error', 'error']);
    expect(failed.every((v) => typeof v.lastKnownAt === 'number')).toBe(true);
    const offline = await core.invoke('inventory:get');
    expect(treeGuests(offline, xapiId)).toEqual(xapiBefore);
    expect(treeGuests(offline, pveId)).toEqual(pveBefore);
    // its General-tab properties are there to read
    const vm = offline.find((n) => n.serverId === xapiId && n.kind === 'vm')!;
    expect(vm.props.uuid).toBe(xapi.db.get('VM', vm.nativeRef)?.uuid);

    // meanwhile the estate changed: the live trees must show it
    const [xapiVmRef] = [...xapi.db.records('VM').entries()].find(([, r]) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain)!;
    xapi.db.update('VM', xapiVmRef, { name_label: 'renamed while away' });
    const guest = [...pve.state.guests.values()].find((g) => !g.template)!;
    guest.name = 'renamed-while-away';

    const resets: string[] = [];
    core.on('inventory:delta', (d) => {
      if (d.reset && d.upsert.length > 0) resets.push(d.serverId);
    });
    await Promise.all([xapi.up(), pve.up()]);
    await core.invoke('servers:reconnectAll');
    const live = await until('both servers live', async () => {
      const list = await core.invoke('servers:list');
      return list.every((v) => v.state === 'connected') && list;
    });
    expect(live.every((v) => v.lastKnownAt === undefined)).toBe(true);
    await until('both cached trees replaced by a reset', () => new Set(resets).size === 2);
    const nodes = await core.invoke('inventory:get');
    expect(treeGuests(nodes, xapiId)).toEqual(xapiGuests());
    expect(treeGuests(nodes, pveId)).toEqual(pveGuests());
    expect(treeGuests(nodes, xapiId)).toContain(`renamed while away ${String(xapi.db.get('VM', xapiVmRef)!.power_state).toLowerCase()}`);
    expect(nodes.some((n) => n.serverId === pveId && n.name === 'renamed-while-away')).toBe(true);
    expect(nodes.filter((n) => n.serverId === xapiId && n.kind === 'vm').some((n) => n.allowed.length > 0)).toBe(true);
    await closeCore(core);
  }, 120_000);

  it('a corrupt file is kept aside and reported; the other server still shows its tree', async () => {
    const file = lastKnownFile(home, pveId);
    writeFileSync(file, '{"version":1,"serverId":"');
    const core = await openCore();
    const problems: StoreProblem[] = [];
    core.on('store:problem', (p) => problems.push(p));
    const info = await core.invoke('app:info');
    const problem = info.storeProblems.find((p) => p.file === file);
    expect(problem?.message).toMatch(/not valid JSON/);
    expect(existsSync(problem!.keptAs)).toBe(true);
    expect(readFileSync(problem!.keptAs, 'utf8')).toBe('{"version":1,"serverId":"');
    expect(existsSync(file)).toBe(false);
    const nodes = await core.invoke('inventory:get');
    expect(treeGuests(nodes, pveId)).toEqual([]);
    expect(treeGuests(nodes, xapiId)).toEqual(xapiGuests());
    await core.start();
    expect(problems.some((p) => p.file === file)).toBe(true);
    await core.invoke('servers:disconnect', pveId);
    await closeCore(core);
  }, 120_000);

  it('a server lost while live keeps its tree as last known; Disconnect clears it and keeps the file', async () => {
    const core = await openCore();
    await core.invoke('servers:connect', pveId);
    await until('the cluster live', async () => treeGuests(await core.invoke('inventory:get'), pveId).length === pveGuests().length);
    rmSync(lastKnownFile(home, pveId), { force: true }); // written at Disconnect in the test before: it must come back as the cluster goes
    const lostAt = Date.now();
    await pve.down();
    const lost = await until('the cluster lost', async () => (await core.invoke('servers:list')).find((v) => v.id === pveId && v.state !== 'connected' && v.lastKnownAt !== undefined));
    expect(lost.lastKnownAt).toBeGreaterThanOrEqual(lostAt - 1000);
    expect(treeGuests(await core.invoke('inventory:get'), pveId)).toEqual(pveGuests());
    await until('its file written as it went offline', () => existsSync(lastKnownFile(home, pveId)));

    const view = await core.invoke('servers:disconnect', pveId);
    expect(view.lastKnownAt).toBeUndefined();
    expect(treeGuests(await core.invoke('inventory:get'), pveId)).toEqual([]);
    expect(existsSync(lastKnownFile(home, pveId))).toBe(true);
    await pve.up();
    await closeCore(core);
  }, 120_000);

  it('removing a server removes its file; turning the setting off removes them all and the trees shown from them', async () => {
    const core = await openCore();
    expect(existsSync(lastKnownFile(home, xapiId))).toBe(true);
    await core.invoke('servers:remove', xapiId);
    expect(existsSync(lastKnownFile(home, xapiId))).toBe(false);
    expect(treeGuests(await core.invoke('inventory:get'), pveId)).toEqual(pveGuests());
    expect((await core.invoke('servers:list'))[0].lastKnownAt).toBeGreaterThan(0);

    await core.invoke('settings:set', { lastKnownTrees: false });
    await until('the files gone', () => readdirSync(path.join(home, 'last-known')).filter((f) => f.endsWith('.json')).length === 0);
    await until('the tree gone', async () => treeGuests(await core.invoke('inventory:get'), pveId).length === 0);
    await closeCore(core);
    // and nothing is written while it is off
    expect(readdirSync(path.join(home, 'last-known')).filter((f) => f.endsWith('.json'))).toEqual([]);
  }, 120_000);
});
