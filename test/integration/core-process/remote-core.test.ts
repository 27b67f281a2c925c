// The core in its own process (issue 17), driven through RemoteCore as the hosts drive it:
// the same errors as the in-process core, events and host channels across the process
// boundary, the password kept by the core process in the OS keychain (a private
// gnome-keyring), and a killed core process: the call it had not answered fails with a
// clear error, a new process comes up and reconnects the saved server — checked on the
// XAPI simulator's side (a new session, its event long poll back) and by a change made on
// the simulator reaching the host as an event.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap, EventName, MenuModel, ServerView } from '../../../shared/contract';
import { toErrorInfo } from '../../../shared/errors';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { forkCoreProcess } from '../../../electron/core/host/fork-transport';
import { RemoteCore } from '../../../electron/core/host/remote-core';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { boundAccount } from '../../../electron/core/services/credentials';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { keyringUnavailableReason, startKeyringSession, type KeyringSession } from '../../peers/keyring';
import { requirePeer } from '../../peers/require-peer';

const PASSWORD = 'password';

describe.skipIf(requirePeer(keyringUnavailableReason()))('the core in its own process', { timeout: 120_000 }, () => {
  let keyring: KeyringSession;
  let sim: XapiSimulator;
  let remote: RemoteCore;
  let local: PolyvisorCore;
  const homes: string[] = [];
  const menus: MenuModel[] = [];
  const seen: Array<{ event: EventName; payload: unknown }> = [];

  const tempHome = () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'pv-core-process-'));
    homes.push(home);
    return home;
  };

  beforeAll(async () => {
    [keyring, sim] = await Promise.all([startKeyringSession(), startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 0 }, poolName: 'Split pool' })]);
    const env: NodeJS.ProcessEnv = { ...process.env, ...keyring.env };
    delete env.POLYVISOR_HOME;
    remote = await RemoteCore.start({
      launch: forkCoreProcess({ env }),
      init: { mode: 'web', home: tempHome(), version: 'test', consoleOrigins: [] },
      hostHandlers: { 'menu:update': (model) => void menus.push(model) },
      restartDelaysMs: [0],
    });
    for (const event of ['server:changed', 'inventory:delta', 'task:changed'] as const) remote.on(event, (payload) => seen.push({ event, payload }));
    await remote.start();
    local = await createAppCore('web', { home: tempHome(), secrets: new MemorySecretStore(), version: 'test' });
  }, 120_000);

  afterAll(async () => {
    await remote?.stop();
    await local?.stop();
    await sim?.stop();
    await keyring?.stop();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  /** Resolves with the first event (seen so far or to come) that passes the test. */
  async function eventWhere<E extends EventName>(event: E, test: (payload: EventMap[E]) => boolean, timeoutMs = 60_000): Promise<EventMap[E]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = seen.find((s) => s.event === event && test(s.payload as EventMap[E]));
      if (hit) return hit.payload as EventMap[E];
      if (Date.now() > deadline) throw new Error(`no ${event} event as expected within ${timeoutMs / 1000} s`);
      await new Promise<void>((resolve) => {
        const off = remote.on(event, () => {
          off();
          resolve();
        });
        setTimeout(resolve, 1_000).unref();
      });
    }
  }

  it('answers with the very error codes and messages the in-process core gives', async () => {
    const calls: Array<[unknown, unknown]> = [
      ['servers:remove', ['no-such-server']],
      ['servers:add', [{ type: 'xenserver' }]],
      ['servers:add', [{ type: 'no-such-type', host: 'h' }]],
      ['no:such:channel', []],
      ['actions:run', [{ nodeId: 'x', action: 'nonsense' }]],
      ['servers:connect', ['no-such-server']],
    ];
    for (const [channel, args] of calls) {
      const there = await remote.dispatch(channel, args).then(() => null, toErrorInfo);
      const here = await local.dispatch(channel, args).then(() => null, toErrorInfo);
      expect(there, String(channel)).not.toBeNull();
      expect(there, String(channel)).toEqual(here);
    }
    const missing = await remote.dispatch('servers:remove', ['no-such-server']).catch(toErrorInfo);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sends the host its own channels (menu:update), checked by the core first', async () => {
    const model: MenuModel = { menus: [{ label: 'File', items: [{ kind: 'command', id: 'add-server', label: 'Add Server…', enabled: true }] }] };
    await remote.invoke('menu:update', model);
    expect(menus).toEqual([model]);
    const bad = await remote.dispatch('menu:update', [{ menus: 'no' }]).catch(toErrorInfo);
    expect(bad).toMatchObject({ code: 'INVALID_INPUT' });
    expect(menus).toHaveLength(1);
  });

  let server: ServerView;

  it('connects a server in the core process, its password in the OS keychain there', async () => {
    server = await remote.invoke('servers:add', { type: 'xenserver', name: 'Split pool', host: sim.host, port: sim.port, username: 'root', password: PASSWORD, rememberPassword: true, autoConnect: true });
    const first = await remote.invoke('servers:connect', server.id);
    expect(first.error?.code).toBe('CERT_UNTRUSTED');
    expect(first.error?.certificate?.fingerprint256).toBe(sim.fingerprint256);
    const view = await remote.invoke('certs:accept', server.id, sim.fingerprint256);
    expect(view.state).toBe('connected');
    await eventWhere('server:changed', (v) => v.id === server.id && v.state === 'connected');
    const vms = (await remote.invoke('inventory:get')).filter((n) => n.serverId === server.id && n.kind === 'vm' && !n.controlDomain);
    expect(vms).toHaveLength([...sim.db.records('VM').values()].filter((r) => !r.is_a_template && !r.is_control_domain && !r.is_a_snapshot).length);
    // the keychain the core process was given holds the password; no answer to the host carries it
    expect(keyring.lookup({ service: 'Polyvisor', username: boundAccount({ ...server, port: sim.port, username: 'root' }) })).toBe(PASSWORD);
    expect(JSON.stringify(await remote.invoke('servers:list'))).not.toContain(PASSWORD);
  });

  it('when the core process dies, a pending call fails clearly and a new process reconnects the saved server', async () => {
    // a server that accepts and never answers: its connect stays pending in the core process
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<void>((resolve) => silent.once('connection', () => resolve()));
    const black = await remote.invoke('servers:add', { type: 'xenserver', name: 'Silent', host: '127.0.0.1', port: (silent.address() as net.AddressInfo).port, username: 'root', password: 'x', rememberPassword: false, autoConnect: false });
    const pending = remote.invoke('servers:connect', black.id, 'x');
    await accepted;
    const sessionsBefore = new Set(sim.db.records('session').keys());
    const oldPid = remote.pid;
    // the connect runs as a task in the core process
    await eventWhere('task:changed', (t) => t.serverId === black.id && t.status === 'running');
    seen.length = 0;

    remote.killProcess();
    const failure = await pending.then(() => null, toErrorInfo);
    expect(failure?.code).toBe('INTERNAL');
    expect(failure?.message).toMatch(/core process stopped unexpectedly \(ended by SIGKILL\)/);
    // the task of that call is reported failed with the same error (the page's task list)
    const task = await eventWhere('task:changed', (t) => t.serverId === black.id && t.status === 'failure');
    expect(task.error?.message).toMatch(/core process stopped unexpectedly/);

    // the new process reconnects the saved server with the password from the keychain
    await eventWhere('server:changed', (v) => v.id === server.id && v.state === 'connected', 90_000);
    // the page's tree is reset to the new core's: the silent server's nodes, as the new core has them
    await eventWhere('inventory:delta', (d) => d.serverId === black.id && d.reset === true);
    expect(remote.restarts).toBe(1);
    expect(remote.pid).not.toBe(oldPid);
    expect([...sim.db.records('session').keys()].some((ref) => !sessionsBefore.has(ref))).toBe(true);
    const deadline = Date.now() + 30_000;
    while (sim.waitingPolls === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(sim.waitingPolls).toBeGreaterThan(0);

    // live again: a change on the simulator reaches the host as an event from the new process
    const [ref] = [...sim.db.records('VM').entries()].find(([, r]) => !r.is_a_template && !r.is_control_domain && !r.is_a_snapshot)!;
    sim.db.update('VM', ref, { name_label: 'renamed after the restart' });
    await eventWhere('inventory:delta', (d) => d.serverId === server.id && d.upsert.some((n) => n.name === 'renamed after the restart'));
    expect((await remote.invoke('inventory:get')).some((n) => n.name === 'renamed after the restart')).toBe(true);
    for (const socket of held) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});
