// Snapshot and power operations through the provider against the simulator, on
// both transports: the effect shows in the provider's own inventory and in the
// simulator's store; progress is reported; failures carry XAPI's code.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError, type PolyvisorError } from '../../../shared/errors';
import { nodeId, type ActionName, type InventoryNode } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, reporter, TRANSPORTS } from './harness';
import path from 'node:path';
import { XAPI_DB_DIR } from '../../shared-dir';

const DB = path.join(XAPI_DB_DIR, 'state4.xml');

describe.each(TRANSPORTS)('XenServer actions over %s', (transport) => {
  let sim: XapiSimulator;
  let harness: Harness;
  let vm: InventoryNode;

  const run = async (target: InventoryNode, action: ActionName, params = {}) => {
    const task = reporter();
    const result = await harness.provider.runAction(target, action, params, task);
    return { result, task };
  };
  const node = (id: string) => harness.nodes.get(id);
  const simVm = (ref: string) => sim.db.get('VM', ref);
  const diskVdis = (vmRef: string): string[] =>
    (simVm(vmRef)!.VBDs as string[])
      .map((vbd) => sim.db.get('VBD', vbd)!)
      .filter((vbd) => vbd.type === 'Disk' && vbd.VDI !== 'OpaqueRef:NULL')
      .map((vbd) => vbd.VDI as string);

  beforeAll(async () => {
    sim = await startXapiSimulator({ db: DB, taskDurationMs: 200, jsonRpc: transport === 'jsonrpc' });
    harness = new Harness(sim, { transport });
    await harness.provider.connect();
    // a running guest with at least one disk
    vm = harness
      .ofKind('vm')
      .find((n) => !n.controlDomain && n.state === 'running' && diskVdis(n.nativeRef).length > 0)!;
    expect(vm).toBeDefined();
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  let diskSnapshotId: string;
  let checkpointId: string;

  it('takes a disk snapshot with a description, reporting progress', async () => {
    const { result, task } = await run(vm, 'snapshot_create', { name: 'before upgrade', description: 'safe point' });
    expect(result.resultId).toMatch(/^s1:snapshot:OpaqueRef:/);
    diskSnapshotId = result.resultId!;
    expect(task.cancellableSeen).toBe(true);
    expect(task.progressValues.length).toBeGreaterThan(1);
    expect(task.progressValues.at(-1)).toBe(1);
    for (let i = 1; i < task.progressValues.length; i++) {
      expect(task.progressValues[i]!).toBeGreaterThanOrEqual(task.progressValues[i - 1]!);
    }
    const snap = await harness.until(() => node(diskSnapshotId)?.snapshot?.description === 'safe point' && node(diskSnapshotId));
    expect(snap.name).toBe('before upgrade');
    expect(snap.parentId).toBe(vm.id);
    expect(snap.snapshot!.withMemory).toBe(false);
    expect(snap.snapshot!.ofId).toBe(vm.id);
    await harness.until(() => node(vm.id)?.currentSnapshotId === diskSnapshotId, 10_000, 'you-are-here on the VM');
    const record = simVm(snap.nativeRef)!;
    expect(record.is_a_snapshot).toBe(true);
    expect(record.name_description).toBe('safe point');
  });

  it('takes a checkpoint (with memory) whose parent is the previous snapshot', async () => {
    const { result } = await run(vm, 'snapshot_create', { name: 'with memory', memory: true });
    checkpointId = result.resultId!;
    const snap = await harness.until(() => node(checkpointId));
    expect(snap.snapshot!.withMemory).toBe(true);
    expect(snap.snapshot!.parentSnapshotId).toBe(diskSnapshotId);
    expect(simVm(snap.nativeRef)!.suspend_VDI).not.toBe('OpaqueRef:NULL');
    await harness.until(() => node(vm.id)?.currentSnapshotId === checkpointId);
  });

  it('reverts to the disk snapshot', async () => {
    const { task } = await run(node(diskSnapshotId)!, 'snapshot_revert');
    expect(task.progressValues.at(-1)).toBe(1);
    const after = await harness.until(() => node(vm.id)?.currentSnapshotId === diskSnapshotId && node(vm.id));
    const state = String(simVm(vm.nativeRef)!.power_state).toLowerCase();
    await harness.until(() => node(vm.id)?.state === state);
    expect(after.kind).toBe('vm');
  });

  it('deletes the checkpoint and its own disks and memory image', async () => {
    const snapRef = node(checkpointId)!.nativeRef;
    const owned = [...diskVdis(snapRef), simVm(snapRef)!.suspend_VDI as string];
    expect(owned.length).toBeGreaterThan(1);
    for (const vdi of owned) expect(sim.db.get('VDI', vdi)).toBeDefined();
    const { task } = await run(node(checkpointId)!, 'snapshot_delete');
    expect(task.progressValues.at(-1)).toBe(1);
    await harness.until(() => !node(checkpointId), 10_000, 'checkpoint removed');
    expect(simVm(snapRef)).toBeUndefined();
    for (const vdi of owned) expect(sim.db.get('VDI', vdi), vdi).toBeUndefined();
    // the VM's own disks are untouched
    for (const vdi of diskVdis(vm.nativeRef)) expect(sim.db.get('VDI', vdi)).toBeDefined();
  });

  it('deletes a snapshot together with its children when asked', async () => {
    const parent = (await run(node(vm.id)!, 'snapshot_create', { name: 'p' })).result.resultId!;
    await harness.until(() => node(vm.id)?.currentSnapshotId === parent);
    const child = (await run(node(vm.id)!, 'snapshot_create', { name: 'c' })).result.resultId!;
    await harness.until(() => node(child)?.snapshot?.parentSnapshotId === parent && node(child));
    await run(node(parent)!, 'snapshot_delete', { withChildren: true });
    await harness.until(() => !node(parent) && !node(child), 10_000, 'both snapshots removed');
    expect(node(diskSnapshotId)).toBeDefined();
  });

  it('runs every power action, following the power state', async () => {
    const target = () => node(vm.id)!;
    const steps: Array<[ActionName, string]> = [];
    const current = String(simVm(vm.nativeRef)!.power_state);
    if (current === 'Running') steps.push(['force_shutdown', 'halted']);
    steps.push(
      ['start', 'running'],
      ['pause', 'paused'],
      ['unpause', 'running'],
      ['suspend', 'suspended'],
      ['resume', 'running'],
      ['reboot', 'running'],
      ['force_reboot', 'running'],
      ['shutdown', 'halted'],
      ['start', 'running'],
      ['force_shutdown', 'halted'],
    );
    const hostId = (ref: string) => nodeId('s1', 'host', ref);
    const poolId = nodeId('s1', 'pool', [...sim.db.records('pool').keys()][0]!);
    for (const [action, state] of steps) {
      const { task } = await run(target(), action);
      expect(task.progressValues.at(-1), action).toBe(1);
      expect(task.progressValues.length, action).toBeGreaterThan(1);
      expect(String(simVm(vm.nativeRef)!.power_state).toLowerCase(), action).toBe(state);
      const shown = await harness.until(() => target().state === state && target(), 10_000, `${action} → ${state}`);
      const resident = simVm(vm.nativeRef)!.resident_on as string;
      const underPool = state === 'halted' || resident === 'OpaqueRef:NULL';
      expect(shown.parentId, action).toBe(underPool ? poolId : hostId(resident));
    }
  });

  it('fails with the XAPI code and parameters when the VM is in the wrong state', async () => {
    await run(node(vm.id)!, 'start');
    const err = (await run(node(vm.id)!, 'start').catch((e: unknown) => e)) as PolyvisorError;
    expect(isPolyvisorError(err, 'SERVER_ERROR')).toBe(true);
    expect(err.info.serverCode).toBe('VM_BAD_POWER_STATE');
    expect(err.info.serverParams).toContain('halted');
    expect(err.info.serverParams).toContain('running');
    expect(err.message).toMatch(/power state/);
  });

  it('cancels a running operation', async () => {
    sim.faults.clear();
    const task = reporter();
    const pending = harness.provider.runAction(node(vm.id)!, 'snapshot_create', { name: 'never' }, task);
    await task.cancellable();
    await task.cancel();
    const err = await pending.catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'CANCELLED')).toBe(true);
    const names = [...sim.db.records('VM').values()].map((r) => r.name_label);
    expect(names).not.toContain('never');
  });

  it('refuses actions on the wrong kind of node', async () => {
    const err = await run(node(diskSnapshotId)!, 'start').catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'INVALID_INPUT')).toBe(true);
  });
});
