// A container's terminal end to end: the core's console:open on a real Docker engine,
// the console bridge on loopback, and a WebSocket client typing like xterm does.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { BridgeConsoleBroker } from '../../../electron/core/console/broker';
import { dockerProviderFactory } from '../../../electron/core/providers/docker';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { runContainer, skipWithoutDockerd, waitFor } from '../docker/harness';
import { WsConsoleClient } from './ws-console-client';

const ORIGIN = 'http://127.0.0.1:40001';
const unavailable = dockerdUnavailableReason();

describe.skipIf(skipWithoutDockerd(unavailable))('Docker terminal through the core and the console bridge', () => {
  let peer: DockerdPeer;
  let home: string;
  let core: PolyvisorCore;
  let consoles: BridgeConsoleBroker;
  let server: ServerView;
  let running: string;
  let stopped: string;
  const clients: WsConsoleClient[] = [];

  async function containerNode(nativeRef: string): Promise<InventoryNode> {
    return waitFor(async () => (await core.invoke('inventory:get')).find((n) => n.kind === 'container' && n.nativeRef === nativeRef), `container ${nativeRef} in the tree`, 30_000);
  }

  async function terminal(nativeRef: string, shell?: string): Promise<WsConsoleClient> {
    const node = await containerNode(nativeRef);
    const ticket = await core.invoke('console:open', node.id, 'text', shell ? { shell } : undefined);
    expect(ticket.protocol).toBe('text');
    const client = await WsConsoleClient.connect(ticket.url, ORIGIN);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    running = await runContainer(peer.docker, 'console-running');
    stopped = await runContainer(peer.docker, 'console-stopped', { start: false });
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-docker-console-'));
    consoles = new BridgeConsoleBroker();
    consoles.allowOrigin(ORIGIN);
    core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [dockerProviderFactory], console: consoles, inventoryBatchMs: 10 });
    server = await core.invoke('servers:add', { type: 'docker', name: 'engine', host: `unix://${peer.socketPath}`, username: '' });
    const view = await core.invoke('servers:connect', server.id);
    expect(view.state).toBe('connected');
    expect(view.capabilities?.consoles).toEqual(['text']);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await core?.stop();
    await peer?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('runs what is typed in a shell inside the container and shows its output', async () => {
    const term = await terminal(running);
    // the quotes keep the echoed command line from matching: only the shell's output does
    term.type("echo he''llo; hostname\n");
    await term.waitForText(/\r?\nhello\r?\n/);
    const info = await peer.docker.getContainer(running).inspect();
    await term.waitForText(new RegExp(`\\n${info.Config.Hostname}\\r?\\n`));
    term.close();
  });

  it('follows the terminal size: the TTY reports the new rows and columns', async () => {
    const term = await terminal(running);
    term.type('stty size\n');
    await term.waitForText(/\n24 80\r?\n/); // the size the exec starts with
    term.resize(132, 43);
    // the resize is asynchronous to the typed input: ask until the TTY has it
    const deadline = Date.now() + 5000;
    let seen = false;
    while (!seen && Date.now() < deadline) {
      term.type('stty size\n');
      seen = await term.waitForText(/\n43 132\r?\n/, 500).then(() => true, () => false);
    }
    expect(seen).toBe(true);
    term.close();
  });

  it('runs the chosen shell', async () => {
    const term = await terminal(running, '/bin/ash');
    term.type('echo "shell=$0"\n');
    await term.waitForText(/\nshell=\/bin\/ash\r?\n/);
    term.close();
  });

  it('ends the shell in the container when the tab closes its socket', async () => {
    const term = await terminal(running);
    term.type('echo mark-$$\n');
    const [, pid] = await term.waitForText(/\nmark-(\d+)\r?\n/);
    const shellsBefore = await shellPids(peer, running);
    expect(shellsBefore).toContain(pid);
    term.close();
    await waitFor(async () => !(await shellPids(peer, running)).includes(pid), `the shell ${pid} to end after the console closed`, 30_000);
  });

  it('ends the console when the shell exits', async () => {
    const term = await terminal(running);
    term.type('exit\n');
    const closed = await term.waitClosed();
    expect(closed.code).toBe(1000);
  });

  it('refuses a stopped container with a clear UNSUPPORTED error', async () => {
    const node = await containerNode(stopped);
    const ticket = await core.invoke('console:open', node.id, 'text');
    const term = await WsConsoleClient.connect(ticket.url, ORIGIN);
    const closed = await term.waitClosed();
    expect(closed.code).toBe(1011);
    expect(closed.reason).toMatch(/^UNSUPPORTED: The container console-stopped is (exited|created)/);
  });

  it('refuses a shell that is not a program path', async () => {
    const node = await containerNode(running);
    await expect(core.invoke('console:open', node.id, 'text', { shell: 'sh -c "rm -rf /"' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(core.invoke('console:open', node.id, 'rfb')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
  });
});

/** PIDs (as the container sees them) of the shells started by console execs */
async function shellPids(peer: DockerdPeer, id: string): Promise<string[]> {
  const exec = await peer.docker.getContainer(id).exec({ Cmd: ['ps', '-o', 'pid,args'], AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = await exec.start({ hijack: true, stdin: false, Tty: true });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  return Buffer.concat(chunks)
    .toString('utf8')
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/))
    .filter(([, cmd]) => cmd === '/bin/sh' || cmd === '/bin/ash')
    .map(([pid]) => pid);
}
