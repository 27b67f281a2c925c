// A container's log end to end: the core's logs:open on a real Docker engine, the
// console bridge on loopback, and a WebSocket client reading like the Logs tab does;
// and the shells its terminal may start (console:shells), as the container has them.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STDERR_MARK, type LogsOptions } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { BridgeConsoleBroker } from '../../../electron/core/console/broker';
import { dockerProviderFactory } from '../../../electron/core/providers/docker';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { dockerdUnavailableReason, ensureBusyboxImage, startDockerd, type DockerdPeer } from '../../peers/dockerd';
import { WsConsoleClient } from '../consoles/ws-console-client';
import { execText, skipWithoutDockerd, waitFor } from './harness';

const ORIGIN = 'http://127.0.0.1:40002';
const unavailable = dockerdUnavailableReason();

/** Prints known lines on stdout and stderr, then waits politely for SIGTERM. */
const PRINTER = ['sh', '-c', "for i in 1 2 3 4 5; do echo out-line-$i; done; sleep 1; echo err-line >&2; trap 'exit 0' TERM; sleep 100000 & wait"];

describe.skipIf(skipWithoutDockerd(unavailable))('Docker logs through the core and the console bridge', () => {
  let peer: DockerdPeer;
  let home: string;
  let core: PolyvisorCore;
  let printer: string;
  let node: InventoryNode;
  const clients: WsConsoleClient[] = [];

  async function open(options?: LogsOptions): Promise<WsConsoleClient> {
    const ticket = await core.invoke('logs:open', node.id, options);
    expect(ticket.protocol).toBe('text');
    const client = await WsConsoleClient.connect(ticket.url, ORIGIN);
    clients.push(client);
    return client;
  }

  function closed(client: WsConsoleClient): Promise<{ code: number; reason: string }> {
    return waitFor(() => client.closed, 'the log socket to close', 30_000);
  }

  beforeAll(async () => {
    peer = await startDockerd();
    await ensureBusyboxImage(peer.docker);
    const c = await peer.docker.createContainer({ name: 'log-printer', Image: 'local/busybox:latest', Cmd: PRINTER, HostConfig: { NetworkMode: 'none' } });
    await c.start();
    printer = c.id;
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-docker-logs-'));
    const consoles = new BridgeConsoleBroker();
    consoles.allowOrigin(ORIGIN);
    core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [dockerProviderFactory], console: consoles, inventoryBatchMs: 10 });
    const server = await core.invoke('servers:add', { type: 'docker', name: 'engine', host: `unix://${peer.socketPath}`, username: '' });
    expect((await core.invoke('servers:connect', server.id)).state).toBe('connected');
    node = await waitFor(async () => (await core.invoke('inventory:get')).find((n) => n.kind === 'container' && n.nativeRef === printer), 'the container in the tree', 30_000);
    // the log is complete once err-line is in it
    await waitFor(async () => (await peer.docker.getContainer(printer).logs({ stdout: true, stderr: true })).toString().includes('err-line'), 'the container to print its lines', 30_000);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await core?.stop();
    await peer?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('delivers the whole log (stdout and stderr, demultiplexed) and then closes cleanly', async () => {
    const log = await open();
    await log.waitForText(/err-line\n/);
    const { code } = await closed(log);
    expect(code).toBe(1000);
    expect(log.text).toBe('out-line-1\nout-line-2\nout-line-3\nout-line-4\nout-line-5\nerr-line\n');
  });

  it('with timestamps and stderr marked: each line has the engine\'s own time, and only the stderr line the mark', async () => {
    const log = await open({ timestamps: true, markStderr: true });
    await closed(log);
    // the engine's own view, read without Polyvisor: its frames say which stream each line came on
    const raw = (await peer.docker.getContainer(printer).logs({ stdout: true, stderr: true, timestamps: true })) as unknown as Buffer;
    const expected: string[] = [];
    for (let at = 0; at + 8 <= raw.length; ) {
      const stream = raw[at];
      const length = raw.readUInt32BE(at + 4);
      const text = raw.subarray(at + 8, at + 8 + length).toString();
      for (const line of text.split('\n').filter(Boolean)) expected.push(`${stream === 2 ? STDERR_MARK : ''}${line}`);
      at += 8 + length;
    }
    expect(expected).toHaveLength(6);
    expect(log.text.split('\n').filter(Boolean)).toEqual(expected);
    expect(expected.filter((l) => l.startsWith(STDERR_MARK))).toEqual([expect.stringMatching(/^\u0002\d{4}-\d\d-\d\dT[\d:.]+Z err-line$/)]);
  });

  it('console:shells offers only the shells the container has, as a shell inside it finds them', async () => {
    const shells = await core.invoke('console:shells', node.id);
    const inside = await execText(peer.docker, printer, ['sh', '-c', 'for s in /bin/sh /bin/bash /bin/ash /bin/zsh; do [ -e "$s" ] && echo "$s"; done; true']);
    expect(shells).toEqual(inside.split('\n').filter(Boolean));
    expect(shells).toContain('/bin/sh');
    expect(shells).not.toContain('/bin/bash');
    const engine = (await core.invoke('inventory:get')).find((n) => n.kind === 'host')!;
    await expect(core.invoke('console:shells', engine.id)).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
  });

  it('honours tail', async () => {
    const log = await open({ tail: 2 });
    await closed(log);
    expect(log.text).toBe('out-line-5\nerr-line\n');
  });

  it('follows: a line written later arrives on the open socket, typed input is ignored', async () => {
    const log = await open({ tail: 1, follow: true });
    await log.waitForText(/^err-line\n$/);
    log.type('this goes nowhere\n');
    log.resize(100, 30);
    await execText(peer.docker, printer, ['sh', '-c', 'echo followed-line > /proc/1/fd/1']);
    await log.waitForText(/^err-line\nfollowed-line\n$/);
    expect(log.closed).toBeNull();
    log.close();
    await closed(log);
  });

  it('a ticket works once', async () => {
    const ticket = await core.invoke('logs:open', node.id, {});
    const first = await WsConsoleClient.connect(ticket.url, ORIGIN);
    clients.push(first);
    await expect(WsConsoleClient.connect(ticket.url, ORIGIN)).rejects.toThrow(/403/);
    await first.waitForText(/err-line\n/);
  });

  it('refuses a foreign origin, bad options and nodes without a log', async () => {
    const ticket = await core.invoke('logs:open', node.id);
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(ticket.url, { origin: 'http://evil.example' });
        ws.once('open', () => resolve('open'));
        ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
        ws.once('error', reject);
      }),
    ).rejects.toThrow(/403/);
    await expect(core.invoke('logs:open', node.id, { tail: -1 })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(core.invoke('logs:open', node.id, { follow: 'yes' as never })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(core.invoke('logs:open', 'nope')).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
    const engine = (await core.invoke('inventory:get')).find((n) => n.kind === 'host')!;
    await expect(core.invoke('logs:open', engine.id)).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
  });
});
