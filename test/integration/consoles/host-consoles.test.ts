// Host consoles (issue 18) end to end through the core's console:open on a host node:
// a Proxmox VE node's Shell (POST /nodes/{node}/termproxy, then
// /nodes/{node}/vncwebsocket with the VNC ticket — the simulator runs a real shell on
// a pty) and a XenServer host's control-domain console (host.control_domain's vt100
// console object, CONNECT on its location — a real pty shell behind the simulator).
// Each runs a command: its output comes back, and the file it writes is there.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { BridgeConsoleBroker } from '../../../electron/core/console/broker';
import { proxmoxProviderFactory } from '../../../electron/core/providers/proxmox';
import { xenServerProviderFactory } from '../../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { ptyShellStream, ptyShellUnavailableReason } from '../../peers/pty-shell';
import { requirePeer } from '../../peers/require-peer';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { startXapiSimulator, type XapiSimulator, type XapiSimulatorHooks } from '../../sim/xapi';
import { installConsoleRelay, type ConsoleRelay } from '../../sim/xapi/console-relay';
import { WsConsoleClient } from './ws-console-client';

const ORIGIN = 'http://127.0.0.1:40004';
const ptyMissing = ptyShellUnavailableReason();

let pve: ProxmoxSimulator;
let xen: XapiSimulator & XapiSimulatorHooks;
let relay: ConsoleRelay;
let home: string;
let scratch: string;
let core: PolyvisorCore;
const clients: WsConsoleClient[] = [];

async function connect(draft: Parameters<PolyvisorCore['invoke']>[1] & object, fingerprint: string): Promise<string> {
  const server = await core.invoke('servers:add', draft as never);
  const first = await core.invoke('servers:connect', server.id, 'password');
  const view = first.state === 'connected' ? first : await core.invoke('certs:accept', server.id, fingerprint);
  expect(view.state).toBe('connected');
  return server.id;
}

async function hostsOf(serverId: string): Promise<InventoryNode[]> {
  return (await core.invoke('inventory:get')).filter((n) => n.serverId === serverId && n.kind === 'host');
}

async function shell(node: InventoryNode): Promise<WsConsoleClient> {
  const ticket = await core.invoke('console:open', node.id, 'text');
  expect(ticket.protocol).toBe('text');
  const client = await WsConsoleClient.connect(ticket.url, ORIGIN);
  clients.push(client);
  return client;
}

/** Types a command that answers on the terminal and leaves a file behind; returns what the file holds. */
async function runIn(term: WsConsoleClient, tag: string): Promise<string> {
  const file = path.join(scratch, `${tag}.txt`);
  // the quotes keep the echoed command line from matching the answer
  term.type(`echo ${tag}''-$((6*7)) | tee ${file}\n`);
  await term.waitForText(new RegExp(`${tag}-42\\r?\\n`), 20_000);
  await expect.poll(() => existsSync(file) && readFileSync(file, 'utf8'), { timeout: 10_000 }).toBe(`${tag}-42\n`);
  return readFileSync(file, 'utf8');
}

describe.skipIf(requirePeer(ptyMissing))('host consoles', () => {
  let pveId: string;
  let xenId: string;

  beforeAll(async () => {
    [pve, xen] = await Promise.all([startProxmoxSimulator({ taskDurationMs: 50 }), startXapiSimulator({ generate: { hosts: 2, vms: 2, snapshots: 0 }, taskDurationMs: 50 })]);
    pve.consoles.targets = { shell: '/bin/sh' };
    relay = installConsoleRelay(xen, { vt100: { open: () => ptyShellStream('/bin/sh') } });
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-host-console-'));
    scratch = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-host-shell-'));
    const consoles = new BridgeConsoleBroker();
    consoles.allowOrigin(ORIGIN);
    core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [proxmoxProviderFactory, xenServerProviderFactory], console: consoles, inventoryBatchMs: 10 });
    pveId = await connect({ type: 'proxmox', name: 'PVE sim', host: pve.host, port: pve.port, username: 'root@pam' }, pve.fingerprint256);
    xenId = await connect({ type: 'xenserver', name: 'Xen sim', host: xen.host, port: xen.port, username: 'root', options: { eventTimeoutS: 5, taskPollMs: 50 } }, xen.fingerprint256);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await core?.stop();
    await Promise.allSettled([pve?.stop(), xen?.stop()]);
    for (const dir of [home, scratch]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a Proxmox VE node’s shell runs a command (termproxy and vncwebsocket on /nodes/{node})', async () => {
    const node = (await hostsOf(pveId)).find((h) => h.name === 'node1')!;
    const before = pve.tasks.tasks.size;
    const term = await shell(node);
    expect(await runIn(term, 'pve-node')).toBe('pve-node-42\n');
    expect(pve.consoles.outcomes.at(-1)).toBe('101 node shell');
    // PVE records a node shell as a vncshell task of the node
    const started = [...pve.tasks.tasks.keys()].slice(before);
    expect(started.some((upid) => /^UPID:node1:[^:]+:[^:]+:[^:]+:vncshell::root@pam:$/.test(upid))).toBe(true);
    term.close();
  });

  it('a XenServer host’s control domain console runs a command (vt100 console of host.control_domain, CONNECT)', async () => {
    const host = (await hostsOf(xenId))[0];
    const dom0 = xen.db.get('host', host.nativeRef)!.control_domain as string;
    const vt100 = [...xen.db.records('console').values()].find((c) => c.VM === dom0 && c.protocol === 'vt100')!;
    expect(vt100).toBeDefined();
    const connects = relay.requests.length;
    const term = await shell(host);
    expect(await runIn(term, 'xen-dom0')).toBe('xen-dom0-42\n');
    expect(relay.requests.slice(connects)).toEqual([{ path: '/console', status: 200, cookie: true, vm: dom0, host: host.nativeRef }]);
    expect(relay.open).toBe(1);
    term.close();
    await expect.poll(() => relay.open, { timeout: 10_000 }).toBe(0);
  });

  it('hosts have no graphical console, and the tab’s facet says which platforms have a host shell', async () => {
    const [pveHost, xenHost] = [(await hostsOf(pveId))[0], (await hostsOf(xenId))[0]];
    const ticket = await core.invoke('console:open', xenHost.id, 'rfb');
    const client = await WsConsoleClient.connect(ticket.url, ORIGIN);
    clients.push(client);
    expect(await client.waitClosed()).toMatchObject({ code: 1011, reason: expect.stringMatching(/^UNSUPPORTED: /) });
    const { providers } = await core.invoke('app:info');
    expect(providers.filter((p) => p.facets.hostConsole).map((p) => p.type).sort()).toEqual(['proxmox', 'xenserver']);
    expect(pveHost.kind).toBe('host');
  });
});
