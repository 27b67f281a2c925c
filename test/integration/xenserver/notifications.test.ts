// Alerts and everyone's tasks on a pool (issue 15): messages and tasks made by another
// session reach the provider's feed through the event stream; a dismissed alert is
// gone on the server (read back by that other session).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { XAPI_DB_DIR } from '../../shared-dir';
import { Harness, otherSession, TRANSPORTS } from './harness';

const DB = path.join(XAPI_DB_DIR, 'state1.xml');

describe.each(TRANSPORTS)('XenServer alerts and server tasks over %s', (transport) => {
  let sim: XapiSimulator;
  let harness: Harness;
  let other: Awaited<ReturnType<typeof otherSession>>;
  let earlyRef: string;

  beforeAll(async () => {
    sim = await startXapiSimulator({ db: DB, taskDurationMs: 50 });
    other = await otherSession(sim);
    const pool = Object.values((await other('pool.get_all_records')) as Record<string, { uuid: string }>)[0]!;
    earlyRef = (await other('message.create', 'HA_POOL_OVERCOMMITTED', 1, 'Pool', pool.uuid, 'raised before we connected')) as string;
    harness = new Harness(sim, { transport });
    await harness.provider.connect();
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  const feed = () => harness.provider.notifications!;
  const serverMessages = async () => (await other('message.get_all_records')) as Record<string, { name: string }>;

  it('loads the alerts the pool had before the connection, with XenCenter\'s priority and the pool as their object', () => {
    const alert = feed().alerts().find((a) => a.nativeRef === earlyRef)!;
    const pool = harness.ofKind('pool')[0]!;
    expect(alert).toMatchObject({ name: 'HA_POOL_OVERCOMMITTED', severity: 'critical', body: 'raised before we connected', nodeId: pool.id, dismissable: true });
  });

  it('shows an alert another session raises on a VM, as it arrives', async () => {
    const vm = harness.ofKind('vm').find((n) => !n.controlDomain)!;
    const uuid = (await other('VM.get_uuid', vm.nativeRef)) as string;
    const heard: string[] = [];
    const stop = feed().follow({ alerts: (d) => heard.push(...d.upsert.map((a) => a.nativeRef)) });
    const ref = (await other('message.create', 'VM_CRASHED', 2, 'VM', uuid, 'the guest crashed')) as string;
    const alert = await harness.until(() => feed().alerts().find((a) => a.nativeRef === ref), 10_000, 'the new alert');
    stop();
    expect(heard).toContain(ref);
    expect(alert).toMatchObject({ severity: 'major', name: 'VM_CRASHED', title: 'VM crashed', nodeId: vm.id, objectName: vm.name });
    expect(Math.abs(alert.time - Date.now())).toBeLessThan(60_000);
  });

  it('dismisses alerts on the server (message.destroy): gone there, then gone from the feed', async () => {
    const host = harness.ofKind('host')[0]!;
    const uuid = (await other('host.get_uuid', host.nativeRef)) as string;
    const ref = (await other('message.create', 'ALARM', 3, 'Host', uuid, 'value: 0.95')) as string;
    await harness.until(() => feed().alerts().some((a) => a.nativeRef === ref), 10_000, 'the alarm');
    const outcome = await feed().dismiss!([ref, 'OpaqueRef:no-such-message']);
    expect(outcome.find((o) => o.nativeRef === ref)?.error).toBeUndefined();
    expect(outcome.find((o) => o.nativeRef !== ref)?.error?.code).toBe('HANDLE_INVALID');
    expect(Object.keys(await serverMessages())).not.toContain(ref);
    await harness.until(() => !feed().alerts().some((a) => a.nativeRef === ref), 10_000, 'the alarm to leave');
  });

  it("shows another client's task with its progress, its end, and keeps it after the server forgets it", async () => {
    const ref = (await other('task.create', 'Export of web01', 'by another client')) as string;
    await other('task.set_progress', ref, 0.4);
    const running = await harness.until(() => feed().tasks().find((t) => t.nativeRef === ref && t.progress === 0.4), 10_000, 'the task at 40 %');
    expect(running).toMatchObject({ what: 'Export of web01', status: 'running', kind: 'task' });
    await other('task.set_status', ref, 'success');
    await harness.until(() => feed().tasks().find((t) => t.nativeRef === ref && t.status === 'success'), 10_000, 'the task to succeed');
    await other('task.destroy', ref);
    await other('task.create', 'a later one', '');
    await harness.until(() => feed().tasks().some((t) => t.what === 'a later one'), 10_000, 'the next task');
    expect(feed().tasks().find((t) => t.nativeRef === ref)?.status).toBe('success');
  });

  it('turns a task the server drops while running into an ended one', async () => {
    const ref = (await other('task.create', 'dropped', '')) as string;
    await harness.until(() => feed().tasks().some((t) => t.nativeRef === ref), 10_000, 'the task');
    await other('task.destroy', ref);
    await harness.until(() => feed().tasks().find((t) => t.nativeRef === ref && t.status === 'ended'), 10_000, 'the task to end');
  });
});

describe('the simulator\'s message class', () => {
  let sim: XapiSimulator;
  beforeAll(async () => {
    sim = await startXapiSimulator({ db: DB });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('refuses a message about an object that does not exist, and answers get_since by timestamp', async () => {
    const other = await otherSession(sim);
    await expect(other('message.create', 'X', 5, 'VM', 'no-such-uuid', '')).rejects.toThrow(/UUID_INVALID.*VM.*no-such-uuid/);
    const pool = Object.values((await other('pool.get_all_records')) as Record<string, { uuid: string }>)[0]!;
    const before = new Date(sim.clock.now().getTime() - 1000).toISOString().replace(/[-]/g, '').replace(/\.\d+Z$/, 'Z');
    const ref = (await other('message.create', 'LICENSE_EXPIRES_SOON', 4, 'Pool', pool.uuid, '')) as string;
    expect(Object.keys((await other('message.get_since', before)) as object)).toContain(ref);
    const later = new Date(sim.clock.now().getTime() + 60_000).toISOString().replace(/[-]/g, '').replace(/\.\d+Z$/, 'Z');
    expect(Object.keys((await other('message.get_since', later)) as object)).not.toContain(ref);
    await other('message.destroy_many', [ref]);
    expect(Object.keys((await other('message.get_all_records')) as object)).not.toContain(ref);
  });
});
