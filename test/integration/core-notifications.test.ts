// The Notifications view's channels through the whole core against the XAPI simulator:
// alerts:list and serverTasks:list, the alerts:changed / serverTasks:changed events as
// another session raises an alert or runs a task, alerts:dismiss read back on the
// server, and a disconnect taking the server's alerts away.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import type { Alert, NotificationDelta } from '../../shared/notifications';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { waitFor } from './provider-mirror';
import { otherSession } from './xenserver/harness';

let sim: XapiSimulator;
let home: string;
let core: PolyvisorCore;
let server: ServerView;
let other: Awaited<ReturnType<typeof otherSession>>;
const alertDeltas: NotificationDelta<Alert>[] = [];

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0 }, taskDurationMs: 400 });
  other = await otherSession(sim);
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-core-notify-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
  core.on('alerts:changed', (d) => alertDeltas.push(d));
  server = await core.invoke('servers:add', {
    type: 'xenserver',
    name: 'Sim pool',
    host: sim.host,
    port: sim.port,
    username: 'root',
    password: 'password',
    rememberPassword: true,
    options: { eventTimeoutS: 5, taskPollMs: 50 },
  });
  await core.invoke('servers:connect', server.id);
  expect((await core.invoke('certs:accept', server.id, sim.fingerprint256)).state).toBe('connected');
});
afterAll(async () => {
  await core?.stop();
  await sim?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('notification channels ⇄ XAPI simulator', () => {
  it('an alert raised by another session reaches alerts:list and the alerts:changed event, newest first', async () => {
    const vm = [...sim.db.records('VM').values()].find((r) => !r.is_a_template && !r.is_control_domain && !r.is_a_snapshot)!;
    await other('message.create', 'VM_SHUTDOWN', 5, 'VM', vm.uuid, 'first');
    const ref = (await other('message.create', 'VM_CRASHED', 2, 'VM', vm.uuid, 'second')) as string;
    const alert = await waitFor(async () => (await core.invoke('alerts:list')).find((a) => a.nativeRef === ref), 'the alert');
    expect(alert).toMatchObject({ serverId: server.id, severity: 'major', objectName: vm.name_label });
    expect(alertDeltas.some((d) => d.serverId === server.id && d.upsert.some((a) => a.nativeRef === ref))).toBe(true);
    const listed = await core.invoke('alerts:list', { serverId: server.id });
    expect(listed.map((a) => a.time)).toEqual([...listed.map((a) => a.time)].sort((a, b) => b - a));
    expect(await core.invoke('alerts:list', { since: Date.now() + 3_600_000 })).toEqual([]);
  });

  it('alerts:dismiss destroys the message on the server and reports what it could not dismiss', async () => {
    const alerts = await core.invoke('alerts:list');
    const target = alerts.find((a) => a.name === 'VM_SHUTDOWN')!;
    const outcome = await core.invoke('alerts:dismiss', [target.id, `${server.id}:alert:OpaqueRef:gone`]);
    expect(outcome.dismissed).toEqual([target.id]);
    expect(outcome.failed).toEqual([expect.objectContaining({ id: `${server.id}:alert:OpaqueRef:gone`, code: 'NOT_FOUND' })]);
    expect(Object.keys((await other('message.get_all_records')) as object)).not.toContain(target.nativeRef);
    await waitFor(async () => !(await core.invoke('alerts:list')).some((a) => a.id === target.id), 'the dismissed alert to leave');
    expect(alertDeltas.some((d) => d.remove.includes(target.id))).toBe(true);
  });

  it("serverTasks:list shows another client's running task with its progress", async () => {
    const ref = (await other('task.create', 'Backup by cron', '')) as string;
    await other('task.set_progress', ref, 0.25);
    const task = await waitFor(async () => (await core.invoke('serverTasks:list')).find((t) => t.nativeRef === ref && t.progress === 0.25), 'the task');
    expect(task).toMatchObject({ serverId: server.id, what: 'Backup by cron', status: 'running' });
  });

  it('refuses malformed queries by their schema', async () => {
    await expect(core.invoke('alerts:dismiss', [])).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(core.dispatch('alerts:list', [{ since: 'yesterday' }])).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });

  it('a disconnect takes the server\'s alerts and tasks away (reset events), a reconnect brings them back', async () => {
    await core.invoke('servers:disconnect', server.id);
    expect(await core.invoke('alerts:list')).toEqual([]);
    expect(alertDeltas.at(-1)).toMatchObject({ serverId: server.id, reset: true, upsert: [] });
    await core.invoke('servers:connect', server.id);
    await waitFor(async () => (await core.invoke('alerts:list')).some((a) => a.name === 'VM_CRASHED'), 'alerts after reconnecting');
  });
});
