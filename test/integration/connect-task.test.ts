// Connecting to a server is a task (issue 19 item 9): each attempt is in tasks:list with
// its outcome — a certificate to trust, the server's own rejection code, success — and
// each outcome is checked against the XAPI simulator's sessions. A snapshot's tasks name
// the VM it belongs to ("VM › snapshot").

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerView, TaskInfo } from '../../shared/contract';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { serverNodeId } from '../../electron/core/inventory/inventory-store';
import { xenServerProviderFactory } from '../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';

const PROVIDER_OPTIONS = { eventTimeoutS: 5, taskPollMs: 50, reconnectMinMs: 100, reconnectMaxMs: 500 };

let sim: XapiSimulator;
let home: string;
let core: PolyvisorCore;
let server: ServerView;

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const connectTasks = async (): Promise<TaskInfo[]> => (await core.invoke('tasks:list')).filter((t) => t.action === 'connect');
/** the simulator's own sessions of this user */
const rootSessions = () => [...sim.db.records('session').values()].filter((s) => s.auth_user_name === 'root').length;

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 1, vms: 2, snapshots: 1 }, taskDurationMs: 200 });
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-connect-task-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
  server = await core.invoke('servers:add', { type: 'xenserver', name: 'Task pool', host: sim.host, port: sim.port, username: 'root', options: PROVIDER_OPTIONS });
});
afterAll(async () => {
  await core?.stop();
  await sim?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('connecting as a task', () => {
  it('an untrusted certificate ends the attempt as a failed task, and no session was opened', async () => {
    const view = await core.invoke('servers:connect', server.id, 'wrong');
    expect(view.error?.code).toBe('CERT_UNTRUSTED');
    const [task] = await connectTasks();
    expect(task).toMatchObject({ serverId: server.id, targetId: serverNodeId(server.id), targetName: 'Task pool', status: 'failure', error: { code: 'CERT_UNTRUSTED' } });
    expect(task.finishedAt).toBeGreaterThanOrEqual(task.startedAt);
    expect(rootSessions()).toBe(0);
  });

  it('a wrong password is a failed task with the server\'s own code', async () => {
    const view = await core.invoke('certs:accept', server.id, sim.fingerprint256);
    expect(view.error?.code).toBe('AUTH_FAILED');
    const tasks = await connectTasks();
    expect(tasks).toHaveLength(2);
    expect(tasks.find((t) => t.error?.code === 'AUTH_FAILED')).toMatchObject({ status: 'failure', error: { serverCode: 'SESSION_AUTHENTICATION_FAILED' } });
    expect(rootSessions()).toBe(0);
  });

  it('the right password is a task that succeeds, and the simulator has the session', async () => {
    const view = await core.invoke('servers:connect', server.id, 'password');
    expect(view.state).toBe('connected');
    const tasks = await connectTasks();
    expect(tasks).toHaveLength(3);
    expect(tasks.filter((t) => t.status === 'success')).toHaveLength(1);
    expect(rootSessions()).toBeGreaterThanOrEqual(1);
  });

  it('a revert names the VM the snapshot belongs to', async () => {
    const snapshot = await until('a snapshot in the inventory', async () => (await core.invoke('inventory:get')).find((n) => n.kind === 'snapshot' && n.allowed.includes('snapshot_revert')));
    const vm = (await core.invoke('inventory:get')).find((n) => n.id === snapshot.snapshot!.ofId)!;
    const record = sim.db.records('VM').get(snapshot.nativeRef)!;
    expect(sim.db.records('VM').get(String(record.snapshot_of))?.name_label).toBe(vm.name);
    const [task] = await core.invoke('actions:run', { nodeIds: [snapshot.id], action: 'snapshot_revert' });
    expect(task).toMatchObject({ targetName: snapshot.name, ownerName: vm.name, action: 'snapshot_revert' });
    expect((await core.waitForTask(task.id)).status).toBe('success');
  });
});
