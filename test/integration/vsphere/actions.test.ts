// Snapshot and power actions of the vSphere provider against vcsim over HTTPS.
// Each action runs as a vSphere Task the provider follows; the resulting tree is
// checked both in the provider's deltas and with an independent SOAP query.
// Every test starts from the same state (the VM running, without snapshots, as
// vcsim and the tree both say), so one failure never takes the next tests down.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../../shared/model';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, Mirror, SERVER_ID, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { RawSoap, text, type Ref } from './raw-soap';

/** Snapshot names of a VM, as an independent query of `snapshot.rootSnapshotList` reads them: "name<parent" lines. */
async function rawSnapshotTree(raw: RawSoap, vm: string): Promise<string[]> {
  const vms = await raw.objects('VirtualMachine', ['snapshot']);
  const info = vms.find((v) => v.ref.value === vm)?.props.snapshot as Record<string, unknown> | undefined;
  const out: string[] = [];
  const walk = (list: unknown, parent: string) => {
    for (const t of list === undefined ? [] : Array.isArray(list) ? list : [list]) {
      const node = t as Record<string, unknown>;
      out.push(`${text(node.name)}<${parent}`);
      walk(node.childSnapshotList, text(node.name));
    }
  };
  walk(info?.rootSnapshotList, '');
  return out.sort();
}

async function rawPowerState(raw: RawSoap, vm: string): Promise<string> {
  const vms = await raw.objects('VirtualMachine', ['runtime.powerState']);
  return text(vms.find((v) => v.ref.value === vm)?.props['runtime.powerState']);
}

/** Puts the VM back to running without snapshots through the other session, and waits until the tree says so too. */
async function resetVm(raw: RawSoap, mirror: Mirror, vm: InventoryNode): Promise<void> {
  const ref: Ref = { type: 'VirtualMachine', value: vm.nativeRef };
  if ((await rawPowerState(raw, vm.nativeRef)) !== 'poweredOn') await raw.runTask('PowerOnVM_Task', ref);
  if ((await rawSnapshotTree(raw, vm.nativeRef)).length) await raw.runTask('RemoveAllSnapshots_Task', ref);
  await mirror.until(() => {
    const node = mirror.vm(vm.nativeRef);
    return node?.state === 'running' && node.currentSnapshotId === null && mirror.snapshotsOf(vm.id).length === 0;
  }, 'the VM running without snapshots');
}

function treeOf(mirror: Mirror, vm: InventoryNode): string[] {
  return mirror
    .snapshotsOf(vm.id)
    .map((s) => `${s.name}<${s.snapshot!.parentSnapshotId ? mirror.nodes.get(s.snapshot!.parentSnapshotId)!.name : ''}`)
    .sort();
}

describe.skipIf(skipVcsim)('vSphere snapshots (VPX model)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let mirror: Mirror;
  let raw: RawSoap;
  let vm: InventoryNode;

  /** Takes a snapshot through the provider and waits until the tree shows it as the VM's current one. */
  const create = async (name: string, params: { memory?: boolean; quiesce?: boolean; description?: string } = {}) => {
    const task = taskReporter();
    const res = await provider.runAction({ nativeRef: vm.nativeRef, kind: 'vm' }, 'snapshot_create', { name, ...params }, task);
    expect(res.resultId).toMatch(new RegExp(`^${SERVER_ID}:snapshot:`));
    expect(task.fractions.at(-1)).toBe(1);
    return mirror.until(() => mirror.vm(vm.nativeRef)?.currentSnapshotId === res.resultId && mirror.nodes.get(res.resultId!), `snapshot ${name}`);
  };
  /** s1 → s2 → s3, s3 current */
  const chain = async () => {
    const s1 = await create('s1');
    const s2 = await create('s2');
    const s3 = await create('s3');
    return { s1, s2, s3 };
  };
  const run = (snapshot: InventoryNode, action: 'snapshot_revert' | 'snapshot_delete', params = {}) =>
    provider.runAction({ nativeRef: snapshot.nativeRef, kind: 'snapshot' }, action, params, taskReporter());

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx' });
    ({ provider, mirror, raw } = peer);
    vm = mirror.ofKind('vm').find((n) => n.state === 'running')!;
  }, BUILD_AND_START_TIMEOUT);

  beforeEach(() => resetVm(raw, mirror, vm));
  afterAll(() => peer?.stop());

  it('takes nested snapshots three levels deep, with memory, quiesce and description', async () => {
    const description = 'before the upgrade\nline two <&> "quoted"';
    const s1 = await create('s1', { memory: true, description });
    const s2 = await create('s2', { quiesce: true });
    const s3 = await create('s3');
    expect(s1.snapshot).toMatchObject({ ofId: vm.id, parentSnapshotId: null, withMemory: true, description });
    expect(s1.props.quiesced).toBe(false);
    expect(s2.snapshot!.parentSnapshotId).toBe(s1.id);
    expect(s2.props.quiesced).toBe(true);
    expect(s3.snapshot!.parentSnapshotId).toBe(s2.id);
    expect(s3.parentId).toBe(vm.id);
    expect(Date.parse(s3.snapshot!.time!)).toBeGreaterThan(Date.now() - 120_000);
    expect(s3.allowed).toEqual(['snapshot_revert', 'snapshot_delete', 'snapshot_edit', 'snapshot_clone', 'snapshot_template']);
    expect(mirror.vm(vm.nativeRef)!.currentSnapshotId).toBe(s3.id);
    expect(treeOf(mirror, vm)).toEqual(await rawSnapshotTree(raw, vm.nativeRef));
    expect(treeOf(mirror, vm)).toEqual(['s1<', 's2<s1', 's3<s2']);
  });

  it('reverts to a snapshot that is not the current one, and branches from there', async () => {
    const { s1 } = await chain();
    await run(s1, 'snapshot_revert');
    await mirror.until(() => mirror.vm(vm.nativeRef)!.currentSnapshotId === s1.id, 'current = s1');
    const s4 = await create('s4');
    expect(s4.snapshot!.parentSnapshotId).toBe(s1.id);
    expect(treeOf(mirror, vm)).toEqual(['s1<', 's2<s1', 's3<s2', 's4<s1']);
    expect(treeOf(mirror, vm)).toEqual(await rawSnapshotTree(raw, vm.nativeRef));
  });

  it('deletes a snapshot without its children: they move up to its parent', async () => {
    const { s1, s2, s3 } = await chain();
    await run(s2, 'snapshot_delete', { withChildren: false });
    await mirror.until(() => !mirror.nodes.has(s2.id) && mirror.nodes.get(s3.id)?.snapshot?.parentSnapshotId === s1.id, 's2 removed, s3 under s1');
    expect(treeOf(mirror, vm)).toEqual(['s1<', 's3<s1']);
    expect(treeOf(mirror, vm)).toEqual(await rawSnapshotTree(raw, vm.nativeRef));
  });

  it('deletes a snapshot with its children', async () => {
    const { s2, s3 } = await chain();
    await run(s2, 'snapshot_delete', { withChildren: true });
    await mirror.until(() => !mirror.nodes.has(s2.id) && !mirror.nodes.has(s3.id), 's2 and s3 removed');
    expect(treeOf(mirror, vm)).toEqual(['s1<']);
    expect(treeOf(mirror, vm)).toEqual(await rawSnapshotTree(raw, vm.nativeRef));
  });

  it('deletes all snapshots of a VM (snapshot_delete on the VM itself)', async () => {
    await chain();
    await provider.runAction({ nativeRef: vm.nativeRef, kind: 'vm' }, 'snapshot_delete', {}, taskReporter());
    await mirror.until(() => mirror.snapshotsOf(vm.id).length === 0, 'no snapshots left');
    expect(mirror.vm(vm.nativeRef)!.currentSnapshotId).toBeNull();
    expect(await rawSnapshotTree(raw, vm.nativeRef)).toEqual([]);
  });

  it('asks for memory only when the VM runs', async () => {
    await provider.runAction({ nativeRef: vm.nativeRef, kind: 'vm' }, 'force_shutdown', {}, taskReporter());
    await mirror.until(() => mirror.vm(vm.nativeRef)!.state === 'halted', 'halted');
    const cold = await create('cold', { memory: true });
    expect(cold.snapshot!.withMemory).toBe(false);
    await run(cold, 'snapshot_delete');
    await mirror.until(() => !mirror.nodes.has(cold.id), 'cold removed');
  });

  it('reports the server’s fault for a snapshot that no longer exists', async () => {
    const gone = await create('gone');
    await run(gone, 'snapshot_delete');
    await mirror.until(() => !mirror.nodes.has(gone.id), 'the snapshot removed');
    await expect(run(gone, 'snapshot_revert')).rejects.toMatchObject({ info: { code: 'NOT_FOUND', serverCode: 'ManagedObjectNotFound' } });
  });
});

describe.skipIf(skipVcsim)('vSphere power actions', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let mirror: Mirror;
  let raw: RawSoap;
  let vm: InventoryNode;

  const act = (action: Parameters<VsphereProvider['runAction']>[1]) =>
    provider.runAction({ nativeRef: vm.nativeRef, kind: 'vm' }, action, {}, taskReporter());
  const stateIs = (state: string) => mirror.until(() => mirror.vm(vm.nativeRef)!.state === state, `state ${state}`);

  beforeAll(async () => {
    peer = await startConnected({ model: 'esx', vms: 1 });
    ({ provider, mirror, raw } = peer);
    vm = mirror.ofKind('vm')[0];
  }, BUILD_AND_START_TIMEOUT);

  beforeEach(() => resetVm(raw, mirror, vm));
  afterAll(() => peer?.stop());

  it('walks a VM through every power state with the matching tasks', async () => {
    await act('suspend');
    await stateIs('suspended');
    expect(mirror.vm(vm.nativeRef)!.allowed).toEqual(['resume', 'force_shutdown', 'snapshot_create', 'destroy']);
    await act('resume');
    await stateIs('running');
    await act('force_reboot');
    await stateIs('running');
    await act('force_shutdown');
    await stateIs('halted');
    expect(mirror.vm(vm.nativeRef)!.allowed).toEqual(['start', 'snapshot_create', 'destroy']);
    await act('start');
    await stateIs('running');
    await act('shutdown'); // ShutdownGuest: not a task
    await stateIs('halted');
    await act('start');
    await stateIs('running');
  });

  it('carries the task’s fault name and message when the server refuses', async () => {
    await expect(act('start')).rejects.toMatchObject({ info: { code: 'SERVER_ERROR', serverCode: 'InvalidPowerState' } });
    // vcsim 0.24 has no RebootGuest: the SOAP fault comes back as it is
    await expect(act('reboot')).rejects.toMatchObject({ info: { code: 'SERVER_ERROR', serverCode: 'MethodNotFound' } });
    await expect(act('pause')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
  });

  it('takes, reverts and deletes a snapshot on a standalone ESXi too', async () => {
    const res = await provider.runAction({ nativeRef: vm.nativeRef, kind: 'vm' }, 'snapshot_create', { name: 'esx-snap' }, taskReporter());
    const snapshot = await mirror.until(() => mirror.nodes.get(res.resultId!), 'snapshot node');
    await provider.runAction({ nativeRef: snapshot.nativeRef, kind: 'snapshot' }, 'snapshot_revert', {}, taskReporter());
    await provider.runAction({ nativeRef: snapshot.nativeRef, kind: 'snapshot' }, 'snapshot_delete', {}, taskReporter());
    await mirror.until(() => !mirror.nodes.has(snapshot.id) && mirror.vm(vm.nativeRef)!.currentSnapshotId === null, 'snapshot gone');
    expect(await rawSnapshotTree(raw, vm.nativeRef)).toEqual([]);
  });
});
