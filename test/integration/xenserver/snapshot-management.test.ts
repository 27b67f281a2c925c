// Snapshot management beyond take/revert/delete through the provider against the
// simulator, on both transports: rename and describe, a new VM and a template from
// a snapshot, a snapshot of the current state before reverting, and a revert to a
// checkpoint that leaves the VM running (issue 19) — each read back from the store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../../shared/errors';
import { xenServerDescriptor } from '../../../electron/core/providers/xenserver/descriptor';
import type { ActionParams } from '../../../shared/contract';
import type { ActionName, InventoryNode } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, reporter, TRANSPORTS } from './harness';

describe.each(TRANSPORTS)('XenServer snapshot management over %s', (transport) => {
  let sim: XapiSimulator;
  let harness: Harness;
  let vm: InventoryNode;

  const node = (id: string) => harness.nodes.get(id);
  const simVm = (ref: string) => sim.db.get('VM', ref);
  const run = async (target: InventoryNode, action: ActionName, params: ActionParams = {}) => {
    const task = reporter();
    const result = await harness.provider.runAction(target, action, params, task);
    expect(task.progressValues.at(-1), action).toBe(1);
    for (let i = 1; i < task.progressValues.length; i++) expect(task.progressValues[i]!, action).toBeGreaterThanOrEqual(task.progressValues[i - 1]!);
    return result;
  };
  const snapshotOf = async (params: ActionParams) => {
    const { resultId } = await run(node(vm.id)!, 'snapshot_create', params);
    return harness.until(() => node(resultId!), 10_000, 'the new snapshot');
  };
  const diskVdis = (ref: string) =>
    (simVm(ref)!.VBDs as string[]).map((vbd) => sim.db.get('VBD', vbd)!).filter((r) => r.type === 'Disk').map((r) => r.VDI as string);

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 4, snapshots: 0 }, taskDurationMs: 40, jsonRpc: transport === 'jsonrpc' });
    harness = new Harness(sim, { transport });
    await harness.provider.connect();
    vm = harness.ofKind('vm').find((n) => !n.controlDomain && n.state === 'running')!;
    expect(vm).toBeDefined();
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('offers edit, clone and template on a snapshot, and says so in its facets', async () => {
    const snap = await snapshotOf({ name: 'facets' });
    expect(snap.allowed).toEqual(expect.arrayContaining(['snapshot_revert', 'snapshot_delete', 'snapshot_edit', 'snapshot_clone', 'snapshot_template']));
    expect(xenServerDescriptor.facets).toMatchObject({
      snapshotEdit: 'name-and-description',
      snapshotClone: true,
      snapshotToTemplate: true,
      serverPolicies: true,
      memoryRevertResumes: true,
    });
  });

  it('renames a snapshot and changes its description', async () => {
    const snap = await snapshotOf({ name: 'before', description: 'old text' });
    await run(snap, 'snapshot_edit', { name: 'after', description: 'new text' });
    expect(simVm(snap.nativeRef)).toMatchObject({ name_label: 'after', name_description: 'new text' });
    await harness.until(() => node(snap.id)?.name === 'after' && node(snap.id)?.snapshot?.description === 'new text', 10_000, 'the edit in the tree');
    // only the description
    await run(snap, 'snapshot_edit', { description: '' });
    expect(simVm(snap.nativeRef)).toMatchObject({ name_label: 'after', name_description: '' });
    const err = await run(snap, 'snapshot_edit', { name: '  ' }).catch((e: unknown) => e);
    expect(isPolyvisorError(err, 'INVALID_INPUT')).toBe(true);
  });

  it('makes a new VM from a snapshot (clone, then provision): a halted VM with its own disks', async () => {
    const snap = await snapshotOf({ name: 'source' });
    const { resultId } = await run(snap, 'snapshot_clone', { name: 'restored copy', description: 'from source' });
    expect(resultId).toMatch(/^s1:vm:OpaqueRef:/);
    const ref = resultId!.slice('s1:vm:'.length);
    expect(simVm(ref)).toMatchObject({ name_label: 'restored copy', name_description: 'from source', is_a_template: false, is_a_snapshot: false, power_state: 'Halted' });
    const snapDisks = diskVdis(snap.nativeRef);
    expect(diskVdis(ref)).toHaveLength(snapDisks.length);
    for (const vdi of diskVdis(ref)) expect(snapDisks).not.toContain(vdi);
    const shown = await harness.until(() => node(resultId!), 10_000, 'the new VM in the tree');
    expect(shown).toMatchObject({ kind: 'vm', name: 'restored copy', state: 'halted' });
    expect(shown.allowed).toContain('start');
  });

  it('makes a template from a snapshot (XenCenter: clone, marked instant)', async () => {
    const snap = await snapshotOf({ name: 'golden' });
    const { resultId } = await run(snap, 'snapshot_template', { name: 'golden template' });
    expect(resultId).toMatch(/^s1:template:OpaqueRef:/);
    const ref = resultId!.slice('s1:template:'.length);
    expect(simVm(ref)).toMatchObject({ name_label: 'golden template', is_a_template: true, is_a_snapshot: false, other_config: expect.objectContaining({ instant: 'true' }) });
    await harness.until(() => node(resultId!)?.kind === 'template', 10_000, 'the template in the tree');
  });

  it('takes a snapshot of the current state first when asked, named by the default rule, then reverts', async () => {
    const target = await snapshotOf({ name: 'go back here' });
    const before = new Set(simVm(vm.nativeRef)!.snapshots as string[]);
    const { resultId } = await run(target, 'snapshot_revert', { snapshotFirst: true });
    const taken = (simVm(vm.nativeRef)!.snapshots as string[]).filter((s) => !before.has(s));
    expect(taken).toHaveLength(1);
    expect(resultId).toBe(`s1:snapshot:${taken[0]}`);
    expect(String(simVm(taken[0]!)!.name_label)).toMatch(new RegExp(`^${vm.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`));
    expect(simVm(vm.nativeRef)!.parent).toBe(target.nativeRef);
  });

  it('reverting to a checkpoint of a running VM leaves it running, on the host it ran on', async () => {
    if (simVm(vm.nativeRef)!.power_state !== 'Running') await run(node(vm.id)!, 'start');
    const host = simVm(vm.nativeRef)!.resident_on;
    // the VM's home is the other host: a plain resume would start it there
    const other = [...sim.db.records('host').keys()].find((h) => h !== host)!;
    sim.db.set('VM', vm.nativeRef, 'affinity', other);
    const checkpoint = await snapshotOf({ name: 'with memory', memory: true });
    expect(checkpoint.snapshot!.withMemory).toBe(true);
    await run(checkpoint, 'snapshot_revert');
    expect(simVm(vm.nativeRef)).toMatchObject({ power_state: 'Running', resident_on: host, parent: checkpoint.nativeRef, suspend_VDI: 'OpaqueRef:NULL' });
    // the old host refuses it now: resumed where the pool can
    sim.faults.failNext('VM.resume_on', ['HOST_DISABLED', String(host)]);
    await run(checkpoint, 'snapshot_revert');
    expect(simVm(vm.nativeRef)).toMatchObject({ power_state: 'Running', resident_on: other });
    await harness.until(() => node(vm.id)?.state === 'running', 10_000, 'the VM running in the tree');
    // from a halted VM too: it runs again, wherever the pool starts it
    await run(node(vm.id)!, 'force_shutdown');
    await run(checkpoint, 'snapshot_revert');
    expect(simVm(vm.nativeRef)).toMatchObject({ power_state: 'Running', parent: checkpoint.nativeRef });
  });

  it('a checkpoint of a suspended VM reverts to suspended (that is how it was)', async () => {
    if (simVm(vm.nativeRef)!.power_state !== 'Running') await run(node(vm.id)!, 'start');
    await run(node(vm.id)!, 'suspend');
    const checkpoint = await snapshotOf({ name: 'suspended state', memory: true });
    await run(node(vm.id)!, 'resume');
    await run(checkpoint, 'snapshot_revert');
    expect(simVm(vm.nativeRef)!.power_state).toBe('Suspended');
  });
});
