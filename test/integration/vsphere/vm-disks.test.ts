// A VM's disks with ReconfigVM_Task (issue 16) against vcsim: a new thin disk on a
// datastore, grown, removed (its file kept), and removed with fileOperation destroy (its
// file deleted) — each read back from the VM's devices through an independent SOAP session
// and from the datastore's own directory (vcsim keeps a datastore in a local folder, its
// summary.url). vcsim 0.24 gives a new disk the VM's own "<vm>/<vm>.vmdk".

import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { text, type RawSoap } from './raw-soap';

type Node = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const GiB = 1024 ** 3;

describe.skipIf(skipVcsim)('vSphere: a VM’s disks added, grown and removed (VPX model)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let raw: RawSoap;

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx' });
    ({ provider, raw } = peer);
  }, BUILD_AND_START_TIMEOUT);
  afterAll(async () => peer?.stop());

  const disksOf = async (vm: string) => {
    const [found] = (await raw.objects('VirtualMachine', ['config.hardware.device'])).filter((o) => o.ref.value === vm);
    return list((found!.props['config.hardware.device'] as Node).VirtualDevice as Node | Node[]).filter((d) => 'capacityInKB' in d);
  };
  /** where vcsim keeps a "[datastore] folder/file.vmdk" (and its -flat extent) on this machine */
  const filesOf = async (datastorePath: string) => {
    const [, dsName, rest] = /^\[([^\]]+)\] (.*)$/.exec(datastorePath)!;
    const ds = (await raw.objects('Datastore', ['name', 'summary.url'])).find((d) => text(d.props.name) === dsName)!;
    const file = path.join(text(ds.props['summary.url']), rest!);
    return [file, file.replace(/\.vmdk$/, '-flat.vmdk')];
  };

  it('adds a disk on a datastore, grows it, and removes it from the VM', async () => {
    const [vm] = await raw.objects('VirtualMachine', ['name', 'datastore']);
    const guest = { nativeRef: vm!.ref.value, kind: 'vm' };
    const ds = list((vm!.props.datastore as Node).ManagedObjectReference as Node | Node[]).map((r) => text(r))[0]!;
    const before = await disksOf(guest.nativeRef);
    await provider.storage!.disks!.add(guest, { storageRef: ds, sizeBytes: 2 * GiB, name: 'data' }, taskReporter());
    const after = await disksOf(guest.nativeRef);
    expect(after).toHaveLength(before.length + 1);
    const added = after.find((d) => !before.some((b) => text(b.key) === text(d.key)))!;
    expect(Number(text(added.capacityInKB))).toBe((2 * GiB) / 1024);
    const fileName = text((added.backing as Node).fileName);
    expect(fileName).toMatch(/^\[[^\]]+\] /);

    await provider.storage!.disks!.resize(guest, text(added.key), 3 * GiB, taskReporter());
    const grown = (await disksOf(guest.nativeRef)).find((d) => text(d.key) === text(added.key))!;
    expect(Number(text(grown.capacityInKB))).toBe((3 * GiB) / 1024);

    await provider.storage!.disks!.detach(guest, text(added.key), false, taskReporter());
    expect((await disksOf(guest.nativeRef)).map((d) => text(d.key))).not.toContain(text(added.key));
    expect(await disksOf(guest.nativeRef)).toHaveLength(before.length);
    for (const file of await filesOf(fileName)) expect(existsSync(file)).toBe(true);
  });

  it('removes a disk with fileOperation destroy: gone from the VM, its files gone from the datastore', async () => {
    const [vm] = await raw.objects('VirtualMachine', ['name', 'datastore']);
    const guest = { nativeRef: vm!.ref.value, kind: 'vm' };
    const ds = list((vm!.props.datastore as Node).ManagedObjectReference as Node | Node[]).map((r) => text(r))[0]!;
    const before = await disksOf(guest.nativeRef);
    await provider.storage!.disks!.add(guest, { storageRef: ds, sizeBytes: GiB, name: 'scratch' }, taskReporter());
    const added = (await disksOf(guest.nativeRef)).find((d) => !before.some((b) => text(b.key) === text(d.key)))!;
    const files = await filesOf(text((added.backing as Node).fileName));
    for (const file of files) expect(existsSync(file)).toBe(true);
    await provider.storage!.disks!.detach(guest, text(added.key), true, taskReporter());
    expect((await disksOf(guest.nativeRef)).map((d) => text(d.key))).not.toContain(text(added.key));
    expect(await disksOf(guest.nativeRef)).toHaveLength(before.length);
    for (const file of files) expect(existsSync(file)).toBe(false);
  });
});
