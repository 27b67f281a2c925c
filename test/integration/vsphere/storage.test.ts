// vSphere datastores in the tree (issue 16) against vcsim: each datastore under its
// datacenter (mounted on several hosts) or its one host, with capacity, free space,
// type and mounting hosts as an independent SOAP session reads them; a datastore's
// disks are the VirtualDisk backings of the VMs on it; RefreshDatastore is the rescan
// (vcsim has it: it restats the datastore's folder and stamps info.timestamp).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, Mirror, SERVER_ID, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { text, type RawSoap } from './raw-soap';

type Node = Record<string, unknown>;
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

describe.skipIf(skipVcsim)('vSphere datastores (VPX model)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let mirror: Mirror;
  let raw: RawSoap;

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx' });
    ({ provider, mirror, raw } = peer);
    await mirror.until(() => [...mirror.nodes.values()].some((n) => n.kind === 'storage'), 'datastores in the tree');
  }, BUILD_AND_START_TIMEOUT);
  afterAll(async () => peer?.stop());

  const rawStores = () => raw.objects('Datastore', ['name', 'summary.capacity', 'summary.freeSpace', 'summary.type', 'host', 'info']);
  const stores = () => [...mirror.nodes.values()].filter((n) => n.kind === 'storage');

  it('shows every datastore with the sizes, type and mounting hosts the server reports', async () => {
    const all = await rawStores();
    expect(stores().map((n) => n.nativeRef).sort()).toEqual(all.map((d) => d.ref.value).sort());
    for (const d of all) {
      const node = mirror.nodes.get(`${SERVER_ID}:storage:${d.ref.value}`)!;
      const capacity = Number(text(d.props['summary.capacity']));
      const free = Number(text(d.props['summary.freeSpace']));
      const hosts = list((d.props.host as Node | undefined)?.DatastoreHostMount as Node | Node[] | undefined).map((m) => `${SERVER_ID}:host:${text(m.key)}`);
      expect(node.name).toBe(text(d.props.name));
      expect(node.storage).toMatchObject({ type: text(d.props['summary.type']), size: capacity, free, used: capacity - free, shared: hosts.length > 1 });
      expect(node.storage!.hostIds).toEqual(hosts.sort());
      const parent = mirror.nodes.get(node.parentId!)!;
      expect(parent.kind).toBe(hosts.length > 1 ? 'pool' : 'host');
    }
  });

  it('lists the disks of the VMs on a datastore, each with its VM', async () => {
    const store = stores()[0]!;
    const disks = await provider.storage!.contents(store.nativeRef);
    const vms = await raw.objects('VirtualMachine', ['name', 'datastore', 'config.hardware.device']);
    const expected: string[] = [];
    for (const vm of vms) {
      const devices = list(((vm.props['config.hardware.device'] as Node | undefined)?.VirtualDevice as Node | Node[] | undefined));
      for (const d of devices) {
        const backing = d.backing as Node | undefined;
        if (!backing || text(backing.datastore) !== store.nativeRef || !('capacityInBytes' in d || 'capacityInKB' in d)) continue;
        expected.push(`${text(backing.fileName)} ${text(vm.props.name)}`);
      }
    }
    expect(expected.length).toBeGreaterThan(0);
    expect(disks.map((d) => `${d.name} ${d.usedBy.map((u) => u.name).join(',')}`).sort()).toEqual(expected.sort());
    expect(disks.every((d) => (d.size ?? 0) > 0 && d.usedBy.every((u) => mirror.nodes.has(u.id)))).toBe(true);
  });

  it('rescans with RefreshDatastore: the datastore’s info is stamped anew', async () => {
    const store = stores()[0]!;
    const stamp = async () => text(((await rawStores()).find((d) => d.ref.value === store.nativeRef)!.props.info as Node).timestamp);
    const before = await stamp();
    await provider.storage!.rescan!(store.nativeRef, taskReporter());
    const after = await stamp();
    expect(after).not.toBe('');
    expect(after).not.toBe(before);
  });
});
