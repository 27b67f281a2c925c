// A policy made on a XenServer pool through schedules:create is the server's own:
// a VMSS in the simulator (read back from its store), run by the server on its
// clock with Polyvisor doing nothing, pruned by the server to its retention, its
// snapshots marked in Polyvisor's tree; edit, run now and delete (with its
// snapshots, never the user's) go to the server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotPolicy } from '../../../shared/schedules';
import type { InventoryNode } from '../../../shared/model';
import { xenServerProviderFactory } from '../../../electron/core/providers/xenserver';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { addConnected, node, startPolicyCore, waitFor, type PolicyCore } from './harness';

const HOUR = 3_600_000;

describe('a server policy on XenServer (VMSS)', () => {
  let sim: XapiSimulator;
  let pc: PolicyCore;
  let serverId: string;
  let vms: InventoryNode[];
  let policy: SnapshotPolicy;
  const removed: string[] = [];

  const record = (cls: string, ref: string) => sim.db.get(cls, ref) as Record<string, unknown> | undefined;
  /** The simulator's own view of a VM's snapshots: the schedule's (is_vmss_snapshot) and the others. */
  const simSnapshots = (vm: InventoryNode) => {
    const all = [...sim.db.records('VM')].filter(([, r]) => r.is_a_snapshot && r.snapshot_of === vm.nativeRef);
    return { schedule: all.filter(([, r]) => r.is_vmss_snapshot).map(([ref]) => ref), other: all.filter(([, r]) => !r.is_vmss_snapshot).map(([, r]) => String(r.name_label)) };
  };
  const treeSnapshots = async (vm: InventoryNode) =>
    (await pc.core.invoke('inventory:get')).filter((n) => n.kind === 'snapshot' && n.snapshot?.ofId === vm.id && n.snapshot.policyId === policy.id);

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 0 }, taskDurationMs: 40 });
    pc = await startPolicyCore([xenServerProviderFactory], '2025-03-10T09:00:00Z');
    pc.core.on('schedule:removed', ({ id }) => removed.push(id));
    const server = await addConnected(
      pc.core,
      { type: 'xenserver', host: sim.host, port: sim.port, username: 'root', password: 'password', options: { eventTimeoutS: 5, taskPollMs: 50 } },
      sim.fingerprint256,
    );
    serverId = server.id;
    const refs = [...sim.db.records('VM')].filter(([, r]) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain).map(([ref]) => ref);
    vms = [await node(pc.core, (n) => n.nativeRef === refs[0], 'the first VM'), await node(pc.core, (n) => n.nativeRef === refs[1], 'the second VM')];
    const [task] = await pc.core.invoke('actions:run', { nodeIds: [vms[0].id], action: 'snapshot_create', params: { name: 'users-own' } });
    expect((await pc.core.waitForTask(task.id)).status).toBe('success');
  });
  afterAll(async () => {
    await pc?.close();
    await sim?.stop();
  });

  it('refuses what the server cannot keep, in its words, before asking it', async () => {
    const draft = { runner: { kind: 'server' as const, serverId }, name: 'Too many', type: 'disk' as const, frequency: { every: 'hourly' as const, minute: 0 }, retain: 11, members: [vms[0].id] };
    await expect(pc.core.invoke('schedules:create', draft)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'retain', message: expect.stringContaining('at most 10') } });
    await expect(pc.core.invoke('schedules:create', { ...draft, retain: 2, members: [`${serverId}:vm:OpaqueRef:gone`] })).rejects.toMatchObject({ info: { code: 'NOT_FOUND', field: 'members' } });
    expect([...sim.db.records('VMSS')]).toEqual([]);
  });

  it('schedules:create makes a VMSS with both VMs assigned', async () => {
    policy = await pc.core.invoke('schedules:create', {
      runner: { kind: 'server', serverId },
      name: 'Hourly VMSS',
      description: 'made through Polyvisor',
      type: 'disk',
      frequency: { every: 'hourly', minute: 0 },
      retain: 2,
      members: vms.map((v) => v.id),
    });
    const [ref] = [...sim.db.records('VMSS')].map(([r]) => r);
    expect(policy).toMatchObject({ id: `${serverId}:policy:${ref}`, runner: { kind: 'server', serverId }, retain: 2, enabled: true, members: vms.map((v) => v.id), timeZone: 'UTC' });
    expect(record('VMSS', ref)).toMatchObject({ name_label: 'Hourly VMSS', name_description: 'made through Polyvisor', type: 'snapshot', frequency: 'hourly', schedule: { min: '0' }, retained_snapshots: 2, enabled: true });
    for (const vm of vms) expect(record('VM', vm.nativeRef)!.snapshot_schedule).toBe(ref);
    expect((await pc.core.invoke('schedules:list')).map((p) => p.id)).toEqual([policy.id]);
  });

  it('the server runs it: three hours on its clock → two schedule snapshots per VM, the user\'s untouched, marked in the tree', async () => {
    sim.clock.advance(3 * HOUR);
    for (const vm of vms) {
      expect(simSnapshots(vm).schedule).toHaveLength(2);
      await waitFor(async () => ((await treeSnapshots(vm)).length === 2 ? true : undefined), `two policy snapshots of ${vm.name} in the tree`, 30_000);
      const shown = await treeSnapshots(vm);
      expect(shown.map((s) => s.nativeRef).sort()).toEqual(simSnapshots(vm).schedule.sort());
      for (const s of shown) expect(s.snapshot).toMatchObject({ policyId: policy.id, policyName: 'Hourly VMSS' });
    }
    expect(simSnapshots(vms[0]).other).toEqual(['users-own']);
    // what the server kept says which runs it made: one per hour still kept
    const history = await pc.core.invoke('schedules:history', policy.id);
    expect(history).toHaveLength(2);
    for (const run of history) {
      expect(run).toMatchObject({ trigger: 'schedule', outcome: 'success' });
      expect(run.items.map((i) => i.nodeId).sort()).toEqual(vms.map((v) => v.id).sort());
    }
    await waitFor(async () => ((await pc.core.invoke('schedules:list'))[0]?.lastRun ? true : undefined), 'the last run from the server', 30_000);
  });

  it('run now asks the server (VMSS.snapshot_now), which keeps its retention', async () => {
    // Polyvisor's clock and the server's agree (they are different clocks only in this test)
    pc.clock.set(sim.clock.now().toISOString());
    const before = simSnapshots(vms[0]).schedule;
    const run = await pc.core.invoke('schedules:runNow', policy.id);
    expect(run).toMatchObject({ trigger: 'run-now', outcome: 'success' });
    const after = simSnapshots(vms[0]).schedule;
    expect(after).toHaveLength(2);
    expect(after.filter((r) => !before.includes(r))).toHaveLength(1);
    // the run Polyvisor recorded stands for the snapshots it made (not counted again); the oldest hour's were pruned
    const history = await pc.core.invoke('schedules:history', policy.id);
    expect(history.map((r) => r.trigger)).toEqual(['run-now', 'schedule']);
    expect(history[0].id).toBe(run.id);
  });

  it('an edit changes the VMSS', async () => {
    const ref = policy.id.split(':policy:')[1];
    const changed = await pc.core.invoke('schedules:update', policy.id, { retain: 3, enabled: false, frequency: { every: 'daily', hour: 1, minute: 30 } });
    expect(changed).toMatchObject({ retain: 3, enabled: false, frequency: { every: 'daily', hour: 1, minute: 30 } });
    expect(record('VMSS', ref)).toMatchObject({ retained_snapshots: 3, enabled: false, frequency: 'daily', schedule: { hour: '1', min: '30' } });
    await expect(pc.core.invoke('schedules:update', policy.id, { timeZone: 'Asia/Shanghai' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'timeZone' } });
  });

  it('deleting it with its snapshots: the VMSS and its snapshots are gone from the server, the user\'s stays', async () => {
    const ref = policy.id.split(':policy:')[1];
    await pc.core.invoke('schedules:delete', policy.id, { deleteSnapshots: true });
    expect(record('VMSS', ref)).toBeUndefined();
    for (const vm of vms) {
      expect(simSnapshots(vm).schedule).toEqual([]);
      expect(record('VM', vm.nativeRef)!.snapshot_schedule).toBe('OpaqueRef:NULL');
    }
    expect(simSnapshots(vms[0]).other).toEqual(['users-own']);
    expect(await pc.core.invoke('schedules:list')).toEqual([]);
    expect(removed).toContain(policy.id);
  });
});
