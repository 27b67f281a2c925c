// A XenServer VM's graphical console end to end: the core's console:open, the XAPI
// provider's CONNECT /console over TLS with the session cookie (pinned certificate),
// the simulator relaying to a real Xvnc, and the console bridge to a WebSocket client.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { BridgeConsoleBroker } from '../../../electron/core/console/broker';
import { xenServerProviderFactory } from '../../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator, type XapiSimulatorHooks } from '../../sim/xapi';
import { installConsoleRelay, type ConsoleRelay } from '../../sim/xapi/console-relay';
import { startVncServer, type VncServer } from '../../peers/vnc';
import { rfbHandshake, WsConsoleClient } from './ws-console-client';

const ORIGIN = 'http://127.0.0.1:40002';
const PROVIDER_OPTIONS = { eventTimeoutS: 5, taskPollMs: 50, reconnectMinMs: 100, reconnectMaxMs: 500 };

let sim: XapiSimulator & XapiSimulatorHooks;
let relay: ConsoleRelay;
let vnc: VncServer;
let home: string;
let core: PolyvisorCore;
let consoles: BridgeConsoleBroker;
let server: ServerView;
const clients: WsConsoleClient[] = [];

async function vmNodes(): Promise<InventoryNode[]> {
  return (await core.invoke('inventory:get')).filter((n) => n.kind === 'vm' && !n.controlDomain);
}

async function openRfb(node: InventoryNode): Promise<WsConsoleClient> {
  const ticket = await core.invoke('console:open', node.id, 'rfb');
  expect(ticket.protocol).toBe('rfb');
  const client = await WsConsoleClient.connect(ticket.url, ORIGIN);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  [sim, vnc] = await Promise.all([
    startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0 }, taskDurationMs: 100 }),
    startVncServer({ width: 400, height: 300, color: '#2060c0' }),
  ]);
  relay = installConsoleRelay(sim, { rfb: { host: vnc.host, port: vnc.port } });
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-xapi-console-'));
  consoles = new BridgeConsoleBroker();
  consoles.allowOrigin(ORIGIN);
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], console: consoles, inventoryBatchMs: 10 });
  server = await core.invoke('servers:add', { type: 'xenserver', name: 'Sim pool', host: sim.host, port: sim.port, username: 'root', options: PROVIDER_OPTIONS });
  const first = await core.invoke('servers:connect', server.id, 'password');
  expect(first.error?.code).toBe('CERT_UNTRUSTED');
  const view = await core.invoke('certs:accept', server.id, sim.fingerprint256);
  expect(view.state).toBe('connected');
  expect(view.capabilities?.consoles).toContain('rfb');
});

afterAll(async () => {
  for (const c of clients) c.close();
  await core?.stop();
  await sim?.stop();
  await vnc?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('XenServer graphical console', () => {
  it('relays the VM console: the RFB handshake completes with the VNC server’s screen size', async () => {
    const vm = (await vmNodes()).find((n) => n.state === 'running')!;
    expect(vm).toBeDefined();
    const client = await openRfb(vm);
    const init = await rfbHandshake(client);
    expect(init).toMatchObject({ width: 400, height: 300 });
    // the provider authenticated with the session cookie, as xapi expects
    expect(relay.requests.at(-1)).toMatchObject({ path: '/console', status: 200, cookie: true });
    expect(relay.open).toBe(1);
    client.close();
    await until(() => relay.open === 0, 'the relay to close with the tab');
  });

  it('a halted VM has no console: UNSUPPORTED with its power state', async () => {
    const halted = (await vmNodes()).find((n) => n.state === 'halted')!;
    expect(halted).toBeDefined();
    const client = await openRfb(halted);
    const closed = await client.waitClosed();
    expect(closed.code).toBe(1011);
    expect(closed.reason).toMatch(/^UNSUPPORTED: .* is halted/);
  });

  it('when the VM’s console goes away (reboot), the socket closes and a new ticket connects again', async () => {
    const vm = (await vmNodes()).find((n) => n.state === 'running')!;
    const first = await openRfb(vm);
    await rfbHandshake(first);
    relay.dropAll();
    const closed = await first.waitClosed();
    expect(closed.code).toBe(1000);
    const second = await openRfb(vm);
    expect((await rfbHandshake(second)).width).toBe(400);
    second.close();
  });

  it('a VM started after connecting gets a console too', async () => {
    const halted = (await vmNodes()).find((n) => n.state === 'halted')!;
    const [task] = await core.invoke('actions:run', { nodeIds: [halted.id], action: 'start' });
    expect((await core.waitForTask(task!.id)).status).toBe('success');
    await until(async () => (await vmNodes()).find((n) => n.id === halted.id)?.state === 'running', 'the VM to run');
    const client = await openRfb(halted);
    expect((await rfbHandshake(client)).height).toBe(300);
    client.close();
  });
});

describe('simulator console endpoint (as xapi answers CONNECT)', () => {
  async function rawConnect(request: string): Promise<string> {
    const socket = tls.connect({ host: sim.host, port: sim.port, ca: [sim.certPem], checkServerIdentity: () => undefined });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    socket.write(request);
    let data = '';
    await new Promise<void>((resolve) => {
      socket.on('data', (c: Buffer) => {
        data += c.toString('latin1');
        if (data.includes('\r\n\r\n')) resolve();
      });
      socket.once('close', () => resolve());
    });
    socket.destroy();
    return data;
  }

  const runningConsole = () => {
    const vm = [...sim.db.records('VM').values()].find((v) => v.power_state === 'Running' && !v.is_control_domain)!;
    return sim.db.get('console', (vm.consoles as string[])[0])!;
  };

  it('refuses a CONNECT without a valid session', async () => {
    const c = runningConsole();
    expect(await rawConnect(`CONNECT /console?uuid=${c.uuid} HTTP/1.0\r\nCookie: session_id=OpaqueRef:nope\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403/);
    expect(await rawConnect(`CONNECT /console?uuid=${c.uuid} HTTP/1.0\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403/);
  });

  it('accepts the session as a query parameter, as XenCenter sends it, and answers 404 for an unknown console', async () => {
    const session = [...sim.db.records('session').keys()][0]!;
    const c = runningConsole();
    const ok = await rawConnect(`CONNECT /console?uuid=${c.uuid}&session_id=${session} HTTP/1.0\r\n\r\n`);
    expect(ok).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(ok).toMatch(/\r\n\r\nRFB 003\.00\d\n$|\r\n\r\n$/);
    expect(await rawConnect(`CONNECT /console?uuid=00000000-0000-0000-0000-000000000000 HTTP/1.0\r\nCookie: session_id=${session}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 404/);
  });
});

async function until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
