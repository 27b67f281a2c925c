// Proxmox VE consoles end to end: the core's console:open, the provider's vncproxy /
// termproxy + vncwebsocket over TLS with the PVE ticket, the simulator relaying to a
// real Xvnc that asks for VNC authentication and to a real shell on a pty, and the
// console bridge to a WebSocket client (which sees no VNC password, just None).

import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView } from '../../../shared/contract';
import { isPolyvisorError } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import type { ConsoleStream } from '../../../electron/core/providers/provider';
import { BridgeConsoleBroker } from '../../../electron/core/console/broker';
import { authenticateRfb } from '../../../electron/core/providers/common/rfb-auth';
import { proxmoxProviderFactory } from '../../../electron/core/providers/proxmox';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../../sim/proxmox';
import { startVncServer, type VncServer } from '../../peers/vnc';
import { rfbHandshake, WsConsoleClient } from './ws-console-client';

const ORIGIN = 'http://127.0.0.1:40003';
const VNC_PASSWORD = 'pve-Tk3n';

let sim: ProxmoxSimulator;
let vnc: VncServer;
let home: string;
let core: PolyvisorCore;
let server: ServerView;
const clients: WsConsoleClient[] = [];

async function guest(name: string): Promise<InventoryNode> {
  const node = (await core.invoke('inventory:get')).find((n) => n.name === name && (n.kind === 'vm' || n.kind === 'container'));
  if (!node) throw new Error(`no guest ${name}`);
  return node;
}

async function open(node: InventoryNode, protocol: 'rfb' | 'text'): Promise<WsConsoleClient> {
  const ticket = await core.invoke('console:open', node.id, protocol);
  const client = await WsConsoleClient.connect(ticket.url, ORIGIN);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  [sim, vnc] = await Promise.all([startProxmoxSimulator({ taskDurationMs: 50 }), startVncServer({ width: 640, height: 480, color: '#20a040', password: VNC_PASSWORD })]);
  sim.consoles.targets = { vnc: { host: vnc.host, port: vnc.port, password: VNC_PASSWORD }, shell: '/bin/sh' };
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-pve-console-'));
  const consoles = new BridgeConsoleBroker();
  consoles.allowOrigin(ORIGIN);
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [proxmoxProviderFactory], console: consoles, inventoryBatchMs: 10 });
  server = await core.invoke('servers:add', { type: 'proxmox', name: 'PVE sim', host: sim.host, port: sim.port, username: 'root@pam' });
  const first = await core.invoke('servers:connect', server.id, 'password');
  expect(first.error?.code).toBe('CERT_UNTRUSTED');
  const view = await core.invoke('certs:accept', server.id, sim.fingerprint256);
  expect(view.state).toBe('connected');
  expect(view.capabilities?.consoles).toEqual(['rfb', 'text']);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await core?.stop();
  await sim?.stop();
  await vnc?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('Proxmox VE graphical console (vncproxy + vncwebsocket)', () => {
  it('the VNC server really asks for the password: without it the handshake fails', async () => {
    const socket = net.connect(vnc.port, vnc.host);
    await new Promise((r) => socket.once('connect', r));
    const err = await authenticateRfb(socket, 'wrong-pw').catch((e: unknown) => e);
    socket.destroy();
    expect(isPolyvisorError(err, 'AUTH_FAILED')).toBe(true);
  });

  it('relays the VM’s screen: the client sees security None and the Xvnc geometry', async () => {
    const client = await open(await guest('server1'), 'rfb');
    const init = await rfbHandshake(client); // fails unless the bridge offers security type None
    expect(init).toMatchObject({ width: 640, height: 480 });
    expect(sim.consoles.outcomes.at(-1)).toBe('101 vnc');
    // and the session is live: a FramebufferUpdateRequest is answered with an update (type 0)
    client.ws.send(Buffer.from([3, 0, 0, 0, 0, 0, 0, 16, 0, 16]));
    const update = await client.read(1);
    expect(update[0]).toBe(0);
    client.close();
  });

  it('a stopped VM has no console: UNSUPPORTED', async () => {
    const client = await open(await guest('machine-test'), 'rfb');
    const closed = await client.waitClosed();
    expect(closed.code).toBe(1011);
    expect(closed.reason).toMatch(/^UNSUPPORTED: machine-test is stopped/);
  });

  it('a ticket is good for one connection only', async () => {
    // the provider used the last vncproxy ticket; presenting the same one again is refused
    const before = sim.consoles.outcomes.length;
    const client = await open(await guest('server1'), 'rfb');
    await rfbHandshake(client);
    client.close();
    expect(sim.consoles.outcomes.slice(before)).toEqual(['101 vnc']);
  });
});

describe('Proxmox VE text console (termproxy)', () => {
  it('runs typed commands in a shell and shows the output', async () => {
    const term = await open(await guest('test'), 'text');
    term.type("echo pve''-$((6*7))\n");
    await term.waitForText(/pve-42\r?\n/); // the prompt may come after the echoed line
    term.close();
  });

  it('follows resizes (1:COLS:ROWS:) on the pty', async () => {
    const term = await open(await guest('server1'), 'text');
    term.resize(101, 33);
    const deadline = Date.now() + 5000;
    let seen = false;
    while (!seen && Date.now() < deadline) {
      term.type('stty size\n');
      seen = await term.waitForText(/(^|[^\d])33 101\r?\n/, 500).then(() => true, () => false);
    }
    expect(seen).toBe(true);
    term.close();
  });

  it('ends when the shell exits', async () => {
    const term = await open(await guest('test'), 'text');
    term.type('exit\n');
    expect((await term.waitClosed()).code).toBe(1000);
  });
});

describe('Proxmox VE behind a pinned certificate past its dates (PVE\u2019s own expire after two years)', () => {
  let expired: ProxmoxSimulator;
  const YEAR = 365 * 86400_000;

  beforeAll(async () => {
    expired = await startProxmoxSimulator({ taskDurationMs: 50, certValidity: { notBefore: new Date(Date.now() - 3 * YEAR), notAfter: new Date(Date.now() - YEAR) } });
    expired.consoles.targets = { vnc: { host: vnc.host, port: vnc.port, password: VNC_PASSWORD }, shell: '/bin/sh' };
  });
  afterAll(() => expired?.stop());

  it('is refused although pinned, with the certificate and its dates: TLS is never switched off', async () => {
    const p = proxmoxProviderFactory.create({
      serverId: 'expired',
      host: expired.host,
      port: expired.port,
      username: 'root@pam',
      password: 'password',
      options: {},
      tls: { pinnedFingerprint: expired.fingerprint256, pinnedPem: expired.certPem },
    });
    const err = await p.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPolyvisorError(err) && err.info).toMatchObject({ code: 'CERT_UNTRUSTED', certificateValidity: 'expired', certificate: { fingerprint256: expired.fingerprint256 } });
    // nothing crossed the refused connection: not even the login
    expect(expired.stats()).toMatchObject({ passwordLogins: 0, failedLogins: 0 });
  });
});
