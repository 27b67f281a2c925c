// Host actions through the provider against the simulator: the evacuation plan
// (the server's reasons, a host with room for the others), maintenance mode as
// XenCenter does it (disabled, one child task per VM, MAINTENANCE_MODE), exit,
// evacuate, reboot/shutdown only of an empty host unless forced, power on — each
// checked in the simulator's own records and in the provider's tree.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../../shared/errors';
import type { HostAction, InventoryNode } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { inlineChildren, type RecordedChild } from '../../fixtures/child-tasks';
import { Harness, reporter } from './harness';

describe('XenServer host actions', () => {
  let sim: XapiSimulator;
  let harness: Harness;
  let hostA: InventoryNode; // holds the VM with a local disk
  let hostB: InventoryNode; // five movable VMs
  const rec = (ref: string) => sim.db.get('VM', ref)!;
  const host = (ref: string) => sim.db.get('host', ref)!;
  const live = (ref: string) => sim.db.get('host_metrics', host(ref).metrics as string)!.live;
  const guestsOn = (hostRef: string) =>
    [...sim.db.records('VM')].filter(([, v]) => v.resident_on === hostRef && !v.is_control_domain && ['Running', 'Paused'].includes(v.power_state as string)).map(([r]) => r);
  const isLocal = (vm: string) => {
    const vbd = (rec(vm).VBDs as string[]).map((b) => sim.db.get('VBD', b)!).find((b) => b.type === 'Disk')!;
    return !sim.db.get('SR', sim.db.get('VDI', vbd.VDI as string)!.SR as string)!.shared;
  };
  const run = async (target: InventoryNode, action: HostAction, params = {}) => {
    const task = reporter();
    const children: RecordedChild[] = [];
    task.child = inlineChildren(task.signal, children);
    await harness.provider.runAction(target, action, params, task);
    return { task, children };
  };
  const fail = (target: InventoryNode, action: HostAction, params = {}) => harness.provider.runAction(target, action, params, reporter()).catch((e: unknown) => e);

  beforeAll(async () => {
    // five running VMs per host, the first one on local storage
    sim = await startXapiSimulator({ generate: { hosts: 3, vms: 15, snapshots: 0, allRunning: true, localDiskVms: 1 }, taskDurationMs: 150 });
    const refs = [...sim.db.records('host').keys()];
    const localVm = [...sim.db.records('VM')].find(([r, v]) => v.power_state === 'Running' && !v.is_control_domain && isLocal(r))![0];
    const a = rec(localVm).resident_on as string;
    const b = refs.find((h) => h !== a)!;
    harness = new Harness(sim);
    await harness.provider.connect();
    hostA = harness.byRef(a)!;
    hostB = harness.byRef(b)!;
    expect(guestsOn(b).length).toBe(5);
    expect(guestsOn(a).length).toBe(5);
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('plans an evacuation: the server\'s reason for the local-disk VM, a host with room for the others', async () => {
    const plan = await harness.provider.migration!.evacuationPlan(hostA.nativeRef);
    expect(plan.map((s) => s.vmRef).sort()).toEqual(guestsOn(hostA.nativeRef).sort());
    for (const step of plan) {
      if (isLocal(step.vmRef)) {
        const sr = sim.db.get('VDI', (rec(step.vmRef).VBDs as string[]).map((b) => sim.db.get('VBD', b)!).find((b) => b.type === 'Disk')!.VDI as string)!.SR;
        expect(step).toMatchObject({ reason: { serverCode: 'VM_REQUIRES_SR', serverParams: [step.vmRef, sr] } });
        expect(step.hostRef).toBeUndefined();
      } else {
        expect(step.reason).toBeUndefined();
        expect(step.hostRef).not.toBe(hostA.nativeRef);
        expect(host(step.hostRef!).enabled).toBe(true);
      }
    }
  });

  it('refuses to evacuate a host with an unmovable VM, with the server\'s code, moving nothing', async () => {
    const before = guestsOn(hostA.nativeRef).sort();
    const err = await fail(hostA, 'evacuate');
    expect(isPolyvisorError(err, 'SERVER_ERROR') && err.info.serverCode).toBe('VM_REQUIRES_SR');
    expect(guestsOn(hostA.nativeRef).sort()).toEqual(before);
    expect(host(hostA.nativeRef).enabled).toBe(true);
  });

  it('host nodes offer maintenance, evacuate, reboot and shutdown while up and enabled (and Remove from pool on a member)', () => {
    const isMaster = (sim.db.records('pool').values().next().value as { master: string }).master === hostB.nativeRef;
    expect(hostB.allowed).toEqual(['maintenance_enter', 'evacuate', 'host_reboot', 'host_shutdown', ...(isMaster ? [] : ['pool_eject'])]);
    expect(hostB.maintenance).toBe(false);
  });

  it('enters maintenance mode: disabled, every VM moved as its own child task, marked as XenCenter marks it', async () => {
    const vms = guestsOn(hostB.nativeRef);
    const { children, task } = await run(hostB, 'maintenance_enter');
    expect(children.map((c) => c.step.target.nativeRef).sort()).toEqual(vms.sort());
    for (const c of children) {
      expect(c.step.action).toBe('migrate');
      expect(c.info.status).toBe('success');
    }
    expect(task.progressValues.at(-1)).toBe(1);
    expect(guestsOn(hostB.nativeRef)).toEqual([]);
    for (const vm of vms) expect(rec(vm).resident_on).not.toBe(hostB.nativeRef);
    expect(host(hostB.nativeRef).enabled).toBe(false);
    expect((host(hostB.nativeRef).other_config as Record<string, string>).MAINTENANCE_MODE).toBe('true');
    const node = await harness.until(() => harness.nodes.get(hostB.id)?.maintenance && harness.nodes.get(hostB.id), 15_000, 'the host in maintenance');
    expect(node.allowed).toContain('maintenance_exit');
    expect(node.allowed).not.toContain('maintenance_enter');
    await harness.until(() => vms.every((vm) => harness.byRef(vm)?.parentId !== hostB.id), 15_000, 'the VMs under other hosts');
  });

  it('exits maintenance mode: enabled, the mark cleared', async () => {
    await run(hostB, 'maintenance_exit');
    expect(host(hostB.nativeRef).enabled).toBe(true);
    expect((host(hostB.nativeRef).other_config as Record<string, string>).MAINTENANCE_MODE).toBeUndefined();
    const node = await harness.until(() => harness.nodes.get(hostB.id)?.maintenance === false && harness.nodes.get(hostB.id)?.allowed.includes('maintenance_enter') && harness.nodes.get(hostB.id));
    expect(node.props.enabled).toBe(true);
  });

  it('evacuates a host that stays enabled', async () => {
    const back = guestsOn(hostA.nativeRef).filter((vm) => !isLocal(vm) && rec(vm).power_state === 'Running').slice(0, 2);
    for (const vm of back) await harness.provider.runAction(harness.byRef(vm)!, 'migrate', { targetRef: hostB.nativeRef }, reporter());
    expect(guestsOn(hostB.nativeRef).sort()).toEqual(back.sort());
    const { children } = await run(hostB, 'evacuate');
    expect(children.map((c) => c.step.target.nativeRef).sort()).toEqual(back.sort());
    expect(guestsOn(hostB.nativeRef)).toEqual([]);
    expect(host(hostB.nativeRef).enabled).toBe(true);
  });

  it('stops moving VMs when the maintenance task is cancelled, and enables the host again', async () => {
    const vms = guestsOn(hostA.nativeRef).filter((vm) => !isLocal(vm) && rec(vm).power_state === 'Running').slice(0, 3);
    for (const vm of vms) await harness.provider.runAction(harness.byRef(vm)!, 'migrate', { targetRef: hostB.nativeRef }, reporter());
    const task = reporter();
    const children: RecordedChild[] = [];
    let first = true;
    const inline = inlineChildren(task.signal, children);
    // the parent is cancelled while its first move runs
    task.child = (step, work) =>
      inline(step, async (r) => {
        if (first) {
          first = false;
          await task.cancel();
          task.abort();
        }
        return work(r);
      });
    const err = await harness.provider.runAction(hostB, 'maintenance_enter', {}, task).catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'CANCELLED')).toBe(true);
    expect(children.length).toBe(1);
    expect(children[0]!.info.status).toBe('failure');
    expect(guestsOn(hostB.nativeRef).sort()).toEqual(vms.sort());
    expect(host(hostB.nativeRef).enabled).toBe(true);
    await run(hostB, 'evacuate');
  });

  it('a move that fails ends maintenance mode with the server\'s code, the other VMs moved and the host enabled again', async () => {
    const vms = guestsOn(hostA.nativeRef).filter((vm) => !isLocal(vm) && rec(vm).power_state === 'Running').slice(0, 2);
    for (const vm of vms) await harness.provider.runAction(harness.byRef(vm)!, 'migrate', { targetRef: hostB.nativeRef }, reporter());
    sim.faults.failNext('VM.pool_migrate', ['OPERATION_NOT_ALLOWED', 'injected by the test']);
    const task = reporter();
    const children: RecordedChild[] = [];
    task.child = inlineChildren(task.signal, children);
    const err = await harness.provider.runAction(hostB, 'maintenance_enter', {}, task).catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'SERVER_ERROR') && err.info.serverCode).toBe('OPERATION_NOT_ALLOWED');
    expect(children.map((c) => c.info.status).sort()).toEqual(['failure', 'success']);
    expect(guestsOn(hostB.nativeRef).length).toBe(1);
    expect(host(hostB.nativeRef).enabled).toBe(true);
    expect((host(hostB.nativeRef).other_config as Record<string, string>).MAINTENANCE_MODE).toBeUndefined();
    await run(hostB, 'evacuate');
  });

  it('refuses to reboot or shut down a host with running VMs unless forced', async () => {
    for (const action of ['host_reboot', 'host_shutdown'] as const) {
      const err = await fail(hostA, action);
      expect(isPolyvisorError(err, 'INVALID_INPUT') && err.info.field).toBe('force');
    }
    expect(host(hostA.nativeRef).enabled).toBe(true);
    expect(live(hostA.nativeRef)).toBe(true);
  });

  it('reboots an empty host: down, then up and enabled again', async () => {
    expect(guestsOn(hostB.nativeRef)).toEqual([]);
    const seenDown = harness.until(() => harness.nodes.get(hostB.id)?.state === 'halted', 15_000, 'the host down');
    await run(hostB, 'host_reboot');
    await seenDown;
    await harness.until(() => live(hostB.nativeRef) === true && harness.nodes.get(hostB.id)?.state === 'running', 15_000, 'the host back');
    expect(host(hostB.nativeRef).enabled).toBe(true);
  });

  it('shuts a host down and powers it on; HOST_IS_LIVE and HOST_POWER_ON_MODE_DISABLED are the server\'s', async () => {
    const err = await fail(hostA, 'host_power_on');
    expect(isPolyvisorError(err, 'SERVER_ERROR') && err.info).toMatchObject({ serverCode: 'HOST_IS_LIVE', serverParams: [hostA.nativeRef] });
    await run(hostB, 'host_shutdown');
    expect(live(hostB.nativeRef)).toBe(false);
    const down = await harness.until(() => harness.nodes.get(hostB.id)?.state === 'halted' && harness.nodes.get(hostB.id));
    expect(down.allowed).toEqual(['host_power_on']);
    sim.db.set('host', hostB.nativeRef, 'power_on_mode', '');
    const refused = await fail(hostB, 'host_power_on');
    expect(isPolyvisorError(refused, 'SERVER_ERROR') && refused.info.serverCode).toBe('HOST_POWER_ON_MODE_DISABLED');
    sim.db.set('host', hostB.nativeRef, 'power_on_mode', 'wake-on-lan');
    await run(hostB, 'host_power_on');
    expect(live(hostB.nativeRef)).toBe(true);
    expect(host(hostB.nativeRef).enabled).toBe(true);
    await harness.until(() => harness.nodes.get(hostB.id)?.state === 'running', 15_000, 'the host up in the tree');
  });

  it('a forced reboot shuts the VMs down first (a child task each), then reboots', async () => {
    const vms = guestsOn(hostA.nativeRef);
    expect(vms.length).toBeGreaterThan(0);
    const { children } = await run(hostA, 'host_reboot', { force: true });
    expect(children.map((c) => [c.step.target.nativeRef, c.step.action, c.info.status])).toEqual(vms.map((vm) => [vm, 'shutdown', 'success']));
    for (const vm of vms) expect(rec(vm).power_state).toBe('Halted');
    await harness.until(() => live(hostA.nativeRef) === true && host(hostA.nativeRef).enabled === true, 15_000, 'host A back');
  });
});
