// The rest of snapshot management on vSphere against vcsim, read back through an
// independent SOAP session: policy marks in descriptions, RenameSnapshot (which
// vcsim 0.24 does not implement: the test checks its exact answer), a new VM or a
// template from a snapshot (CloneVM_Task), a revert that keeps the current state
// first, and a memory snapshot's VM running after the revert.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../../shared/model';
import { policyTag } from '../../../shared/schedules';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, Mirror, SERVER_ID, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { RawSoap, text, type Ref } from './raw-soap';

const POLICY = 'polyvisor:5d1c-hourly';

interface RawSnapshot {
  ref: string;
  name: string;
  description: string;
  parent: string;
}

/** The VM's snapshots as the simulator holds them, and which one is current. */
async function rawSnapshots(raw: RawSoap, vm: string): Promise<{ list: RawSnapshot[]; current: string }> {
  const vms = await raw.objects('VirtualMachine', ['snapshot']);
  const info = vms.find((v) => v.ref.value === vm)?.props.snapshot as Record<string, unknown> | undefined;
  const list: RawSnapshot[] = [];
  const walk = (nodes: unknown, parent: string) => {
    for (const t of nodes === undefined ? [] : Array.isArray(nodes) ? nodes : [nodes]) {
      const n = t as Record<string, unknown>;
      list.push({ ref: text(n.snapshot), name: text(n.name), description: text(n.description), parent });
      walk(n.childSnapshotList, text(n.name));
    }
  };
  walk(info?.rootSnapshotList, '');
  return { list, current: text(info?.currentSnapshot) };
}

async function rawVm(raw: RawSoap, name: string): Promise<{ ref: Ref; power: string; template: string } | undefined> {
  const vms = await raw.objects('VirtualMachine', ['name', 'runtime.powerState', 'config.template']);
  const vm = vms.find((v) => text(v.props.name) === name);
  return vm && { ref: vm.ref, power: text(vm.props['runtime.powerState']), template: text(vm.props['config.template']) };
}

async function rawPower(raw: RawSoap, vm: string): Promise<string> {
  const vms = await raw.objects('VirtualMachine', ['runtime.powerState']);
  return text(vms.find((v) => v.ref.value === vm)?.props['runtime.powerState']);
}

describe.skipIf(skipVcsim)('vSphere snapshot management (VPX model)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let mirror: Mirror;
  let raw: RawSoap;
  let vm: InventoryNode;
  let vmRef: Ref;

  const create = async (name: string, params: { memory?: boolean; description?: string; policyId?: string } = {}) => {
    const res = await provider.runAction({ nativeRef: vm.nativeRef, kind: 'vm' }, 'snapshot_create', { name, ...params }, taskReporter());
    return mirror.until(() => mirror.vm(vm.nativeRef)?.currentSnapshotId === res.resultId && mirror.nodes.get(res.resultId!), `snapshot ${name}`);
  };
  const onSnapshot = (snapshot: InventoryNode, action: Parameters<VsphereProvider['runAction']>[1], params = {}, task = taskReporter()) =>
    provider.runAction({ nativeRef: snapshot.nativeRef, kind: 'snapshot' }, action, params, task);

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx' });
    ({ provider, mirror, raw } = peer);
    vm = mirror.ofKind('vm').find((n) => n.state === 'running')!;
    vmRef = { type: 'VirtualMachine', value: vm.nativeRef };
  }, BUILD_AND_START_TIMEOUT);

  beforeEach(async () => {
    if ((await rawPower(raw, vm.nativeRef)) !== 'poweredOn') await raw.runTask('PowerOnVM_Task', vmRef);
    if ((await rawSnapshots(raw, vm.nativeRef)).list.length) await raw.runTask('RemoveAllSnapshots_Task', vmRef);
    await mirror.until(() => mirror.vm(vm.nativeRef)?.state === 'running' && mirror.snapshotsOf(vm.id).length === 0, 'the VM running without snapshots');
  });
  afterAll(() => peer?.stop());

  it('marks a policy’s snapshot in its description and shows the policy, not the tag', async () => {
    const snap = await create('hourly-1', { description: 'taken on the hour', policyId: POLICY });
    expect(snap.snapshot).toMatchObject({ policyId: POLICY, description: 'taken on the hour' });
    expect(snap.props.description).toBe('taken on the hour');
    const stored = (await rawSnapshots(raw, vm.nativeRef)).list.find((s) => s.name === 'hourly-1')!;
    expect(stored.description).toBe(`taken on the hour\n${policyTag(POLICY)}`);
    const mine = await create('mine', { description: 'mine' });
    expect(mine.snapshot!.policyId).toBeUndefined();
    expect(mine.allowed).toEqual(['snapshot_revert', 'snapshot_delete', 'snapshot_edit', 'snapshot_clone', 'snapshot_template']);
  });

  it('asks vcsim to rename and reports its refusal in words: vcsim 0.24 has no RenameSnapshot', async () => {
    const snap = await create('named', { description: 'before', policyId: POLICY });
    const failure = await onSnapshot(snap, 'snapshot_edit', { name: 'renamed', description: 'after' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({
      info: { code: 'UNSUPPORTED', serverCode: 'MethodNotFound', message: expect.stringContaining('"method not found" (MethodNotFound)') },
    });
    const stored = (await rawSnapshots(raw, vm.nativeRef)).list.find((s) => s.ref === snap.nativeRef)!;
    expect(stored).toMatchObject({ name: 'named', description: `before\n${policyTag(POLICY)}` });
  });

  it('makes a new VM from a snapshot with CloneVM_Task, powered off beside the original', async () => {
    const snap = await create('base');
    const task = taskReporter();
    const result = await onSnapshot(snap, 'snapshot_clone', { name: 'web-from-base' }, task);
    const copy = await rawVm(raw, 'web-from-base');
    expect(copy).toMatchObject({ power: 'poweredOff', template: 'false' });
    expect(result.resultId).toBe(`${SERVER_ID}:vm:${copy!.ref.value}`);
    const node = await mirror.until(() => mirror.nodes.get(result.resultId!), 'the clone in the tree');
    expect(node).toMatchObject({ kind: 'vm', name: 'web-from-base', state: 'halted' });
    expect(task.fractions.at(-1)).toBe(1);
    // the original and its snapshot are untouched
    expect((await rawSnapshots(raw, vm.nativeRef)).list.map((s) => s.name)).toEqual(['base']);
  });

  it('makes a template from a snapshot in one clone task (spec.template)', async () => {
    const snap = await create('golden');
    const result = await onSnapshot(snap, 'snapshot_template', { name: 'golden-template' });
    const copy = await rawVm(raw, 'golden-template');
    expect(copy).toMatchObject({ template: 'true', power: 'poweredOff' });
    expect(result.resultId).toBe(`${SERVER_ID}:template:${copy!.ref.value}`);
    await mirror.until(() => mirror.nodes.get(result.resultId!)?.kind === 'template', 'the template in the tree');
  });

  it('names the copy after the VM and the snapshot when no name is given', async () => {
    const snap = await create('noname');
    await onSnapshot(snap, 'snapshot_clone', {});
    expect(await rawVm(raw, `${vm.name}-noname`)).toBeDefined();
  });

  it('leaves the VM running after reverting to a memory snapshot, where vcsim itself leaves it off', async () => {
    const snap = await create('with-memory', { memory: true });
    expect(snap.snapshot!.withMemory).toBe(true);
    // what the peer does on its own: RevertToSnapshot_Task does not touch the power state
    await raw.runTask('PowerOffVM_Task', vmRef);
    await raw.runTask('RevertToSnapshot_Task', { type: 'VirtualMachineSnapshot', value: snap.nativeRef });
    expect(await rawPower(raw, vm.nativeRef)).toBe('poweredOff');
    // through Polyvisor: powered on in the same task
    const task = taskReporter();
    await onSnapshot(snap, 'snapshot_revert', {}, task);
    expect(await rawPower(raw, vm.nativeRef)).toBe('poweredOn');
    await mirror.until(() => mirror.vm(vm.nativeRef)?.state === 'running', 'the VM running');
    expect(task.fractions.at(-1)).toBe(1);
  });

  it('resumes a suspended VM after reverting to a memory snapshot', async () => {
    const snap = await create('suspend-me', { memory: true });
    await raw.runTask('SuspendVM_Task', vmRef);
    await onSnapshot(snap, 'snapshot_revert');
    expect(await rawPower(raw, vm.nativeRef)).toBe('poweredOn');
  });

  it('keeps the current state as a snapshot first when asked, then reverts', async () => {
    const first = await create('first');
    const second = await create('second');
    const result = await onSnapshot(first, 'snapshot_revert', { snapshotFirst: true });
    const { list, current } = await rawSnapshots(raw, vm.nativeRef);
    const kept = list.find((s) => s.name !== 'first' && s.name !== 'second')!;
    expect(kept.name).toMatch(new RegExp(`^${vm.name} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`));
    expect(kept.parent).toBe('second');
    expect(current).toBe(first.nativeRef);
    expect(result.resultId).toBe(`${SERVER_ID}:snapshot:${kept.ref}`);
    await mirror.until(() => mirror.vm(vm.nativeRef)?.currentSnapshotId === first.id && mirror.nodes.has(result.resultId!), 'current = first, the kept one shown');
    expect(mirror.nodes.get(result.resultId!)!.snapshot!.parentSnapshotId).toBe(second.id);
  });
});

describe.skipIf(skipVcsim)('vSphere snapshot copies on a standalone ESXi host', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;

  beforeAll(async () => {
    peer = await startConnected({ model: 'esx', vms: 1 });
  }, BUILD_AND_START_TIMEOUT);
  afterAll(() => peer?.stop());

  it('offers no clone or template and refuses one before asking the host (cloning needs vCenter)', async () => {
    const { provider, mirror, raw } = peer;
    const vm = mirror.ofKind('vm')[0];
    const res = await provider.runAction({ nativeRef: vm.nativeRef, kind: 'vm' }, 'snapshot_create', { name: 'esx' }, taskReporter());
    const snap = await mirror.until(() => mirror.nodes.get(res.resultId!), 'the snapshot');
    expect(snap.allowed).toEqual(['snapshot_revert', 'snapshot_delete', 'snapshot_edit']);
    const vmsBefore = (await raw.objects('VirtualMachine', ['name'])).length;
    await expect(provider.runAction({ nativeRef: snap.nativeRef, kind: 'snapshot' }, 'snapshot_clone', { name: 'x' }, taskReporter())).rejects.toMatchObject({
      info: { code: 'UNSUPPORTED', message: expect.stringContaining('needs vCenter Server') },
    });
    expect((await raw.objects('VirtualMachine', ['name'])).length).toBe(vmsBefore);
  });
});
