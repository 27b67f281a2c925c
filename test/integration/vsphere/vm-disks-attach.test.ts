// Attaching an existing disk file to a vSphere VM (issue 16) against vcsim 0.24 (VPX, two
// datastores): the free .vmdk files found with the datastore browser, checked against what
// every VM uses (read through an independent SOAP session) and against the datastore's own
// folder on disk (vcsim keeps a datastore in a local directory, its summary.url); an attach
// read back from the VM's devices; the datastore's Storage tab lists such files too (free,
// or held by a snapshot). vcsim reports no capacity for a disk file and keeps the
// capacityInKB it is sent (0 for a file of unknown size): the facet's note says so. The last
// test pins why vSphere disks do not move from Polyvisor: vcsim's RelocateVM_Task with a
// datastore rewrites the VM's datastore list and nothing else.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FreeDisk } from '../../../shared/disks';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { text, type RawSoap, type Ref } from './raw-soap';
import { list, type Node } from './vm-readback';

interface ServerDisk {
  key: string;
  file: string;
  datastore: string;
  controllerKey: string;
  unitNumber: string;
  kb: number;
}

describe.skipIf(skipVcsim)('vSphere: an existing disk file attached to a VM (VPX model, two datastores)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let raw: RawSoap;
  const disks = () => provider.storage!.disks!;

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx', datastores: 2 });
    ({ provider, raw } = peer);
  }, BUILD_AND_START_TIMEOUT);
  afterAll(async () => peer?.stop());

  const serverDisks = async (vm: string): Promise<ServerDisk[]> => {
    const found = (await raw.objects('VirtualMachine', ['config.hardware.device'])).find((o) => o.ref.value === vm)!;
    return list((found.props['config.hardware.device'] as Node).VirtualDevice)
      .filter((d) => d['@_type'] === 'VirtualDisk')
      .map((d) => {
        const backing = d.backing as Node;
        return { key: text(d.key), file: text(backing.fileName), datastore: text(backing.datastore), controllerKey: text(d.controllerKey), unitNumber: text(d.unitNumber), kb: Number(text(d.capacityInKB)) };
      });
  };
  /** every disk file any VM's devices name, as vcsim holds them */
  const usedFiles = async () => {
    const vms = await raw.objects('VirtualMachine', ['config.hardware.device']);
    return new Set(vms.flatMap((vm) => list((vm.props['config.hardware.device'] as Node).VirtualDevice).flatMap((d) => (d['@_type'] === 'VirtualDisk' ? [text((d.backing as Node).fileName)] : []))));
  };
  const datastores = async () => (await raw.objects('Datastore', ['name', 'summary.url'])).map((d) => ({ ref: d.ref, name: text(d.props.name), dir: text(d.props['summary.url']) }));
  const vmNamed = async (name: string) => ({ nativeRef: (await raw.vmByName(name)).value, kind: 'vm' });
  const dcRef = async (): Promise<Ref> => (await raw.objects('Datacenter', ['name']))[0]!.ref;
  const vdm = async (): Promise<Ref> => {
    const content = (await raw.call('RetrieveServiceContent', { type: 'ServiceInstance', value: 'ServiceInstance' }, '')).returnval as Node;
    return { type: 'VirtualDiskManager', value: text(content.virtualDiskManager) };
  };
  /** a new empty disk file made by the server's VirtualDiskManager, as another client would */
  const createDiskFile = async (file: string) =>
    raw.runTask(
      'CreateVirtualDisk_Task',
      await vdm(),
      `<name>${file}</name><datacenter type="Datacenter">${(await dcRef()).value}</datacenter><spec xsi:type="FileBackedVirtualDiskSpec"><diskType>thin</diskType><adapterType>lsiLogic</adapterType><capacityKb>1048576</capacityKb></spec>`,
    );
  const ids = (free: FreeDisk[]) => free.map((d) => d.id);

  it('lists the free .vmdk files of both datastores the host mounts, none a VM uses, each a real file there', async () => {
    const guest = await vmNamed('DC0_H0_VM0');
    const [ds0, ds1] = (await datastores()).sort((a, b) => a.name.localeCompare(b.name));
    expect(await disks().attachable(guest)).toEqual([]);

    await createDiskFile(`[${ds1!.name}] spare-a.vmdk`);
    await createDiskFile(`[${ds0!.name}] DC0_H0_VM0/spare-b.vmdk`);
    const free = await disks().attachable(guest);
    expect(free).toEqual(
      expect.arrayContaining([
        { id: `[${ds1!.name}] spare-a.vmdk`, name: 'spare-a.vmdk', storageName: ds1!.name },
        { id: `[${ds0!.name}] DC0_H0_VM0/spare-b.vmdk`, name: 'DC0_H0_VM0/spare-b.vmdk', storageName: ds0!.name },
      ]),
    );
    expect(free).toHaveLength(2);
    // vcsim 0.24's browser reports neither capacityKb nor a size for its empty files
    expect(free.every((d) => d.sizeBytes === undefined)).toBe(true);
    // the datastore's Storage tab lists the free file too, used by nobody, size unknown
    const contents = await provider.storage!.contents(ds1!.ref.value);
    expect(contents).toEqual([{ ref: `[${ds1!.name}] spare-a.vmdk`, name: `[${ds1!.name}] spare-a.vmdk`, size: null, snapshot: false, content: 'disk', usedBy: [] }]);
    const used = await usedFiles();
    for (const d of free) {
      expect(used.has(d.id)).toBe(false);
      const ds = d.storageName === ds0!.name ? ds0! : ds1!;
      expect(existsSync(path.join(ds.dir, d.name))).toBe(true);
    }
  });

  it('attaches a free file on the next free SCSI unit, no file operation: the VM’s devices hold it, the list no longer does', async () => {
    const guest = await vmNamed('DC0_H0_VM0');
    const [, ds1] = (await datastores()).sort((a, b) => a.name.localeCompare(b.name));
    const before = await serverDisks(guest.nativeRef);
    const file = `[${ds1!.name}] spare-a.vmdk`;

    await disks().attach(guest, file, taskReporter());
    const after = await serverDisks(guest.nativeRef);
    expect(after).toHaveLength(before.length + 1);
    const attached = after.find((d) => d.file === file)!;
    expect(attached).toMatchObject({ datastore: ds1!.ref.value, controllerKey: before[0]!.controllerKey, kb: 0 });
    expect(before.map((d) => d.unitNumber)).not.toContain(attached.unitNumber);
    expect(existsSync(path.join(ds1!.dir, 'spare-a.vmdk'))).toBe(true);
    expect(ids(await disks().attachable(guest))).not.toContain(file);
    const [row] = await provider.storage!.contents(ds1!.ref.value);
    expect(row).toMatchObject({ name: file, snapshot: false, usedBy: [{ name: 'DC0_H0_VM0' }] });
  });

  it('a disk detached and kept is offered to another VM and attaches there', async () => {
    const from = await vmNamed('DC0_H0_VM1');
    const to = await vmNamed('DC0_C0_RP0_VM0');
    const [disk] = await serverDisks(from.nativeRef);
    expect(ids(await disks().attachable(to))).not.toContain(disk!.file);

    await disks().detach(from, disk!.key, false, taskReporter());
    expect((await serverDisks(from.nativeRef)).map((d) => d.file)).not.toContain(disk!.file);
    expect(ids(await disks().attachable(to))).toContain(disk!.file);

    await disks().attach(to, disk!.file, taskReporter());
    expect((await serverDisks(to.nativeRef)).map((d) => d.file)).toContain(disk!.file);
    expect(ids(await disks().attachable(from))).not.toContain(disk!.file);
  });

  it('a disk file a snapshot still holds is not offered until the snapshot is gone', async () => {
    const guest = await vmNamed('DC0_C0_RP0_VM1');
    const vm = await raw.vmByName('DC0_C0_RP0_VM1');
    const [disk] = await serverDisks(guest.nativeRef);
    await raw.runTask('CreateSnapshot_Task', vm, '<name>holds-disk</name><memory>false</memory><quiesce>false</quiesce>');
    await disks().detach(guest, disk!.key, false, taskReporter());
    expect((await serverDisks(guest.nativeRef)).map((d) => d.file)).not.toContain(disk!.file);
    expect(ids(await disks().attachable(guest))).not.toContain(disk!.file);
    const rowOf = async () => (await provider.storage!.contents(disk!.datastore)).find((d) => d.ref === disk!.file);
    expect(await rowOf()).toMatchObject({ snapshot: true, usedBy: [{ name: 'DC0_C0_RP0_VM1' }] });

    await raw.runTask('RemoveAllSnapshots_Task', vm, '');
    expect(ids(await disks().attachable(guest))).toContain(disk!.file);
    expect(await rowOf()).toMatchObject({ snapshot: false, usedBy: [] });
  });

  it('refuses a file a VM uses or one deleted since it was listed, before asking the server; the VM’s devices stay', async () => {
    const guest = await vmNamed('DC0_H0_VM0');
    const inUse = (await usedFiles()).values().next().value!;
    const before = await serverDisks(guest.nativeRef);
    await expect(disks().attach(guest, inUse, taskReporter())).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const [ds0] = (await datastores()).sort((a, b) => a.name.localeCompare(b.name));
    const file = `[${ds0!.name}] DC0_H0_VM0/spare-b.vmdk`;
    expect(ids(await disks().attachable(guest))).toContain(file);
    await raw.runTask('DeleteVirtualDisk_Task', await vdm(), `<name>${file}</name><datacenter type="Datacenter">${(await dcRef()).value}</datacenter>`);
    await expect(disks().attach(guest, file, taskReporter())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await serverDisks(guest.nativeRef)).toEqual(before);
  });

  it('vcsim 0.24’s RelocateVM_Task to another datastore moves no disk file (why the facet keeps its moveDiskNote)', async () => {
    const vm = await raw.vmByName('DC0_C0_RP0_VM0');
    const [, ds1] = (await datastores()).sort((a, b) => a.name.localeCompare(b.name));
    const before = await serverDisks(vm.value);
    await raw.runTask('RelocateVM_Task', vm, `<spec><datastore type="Datastore">${ds1!.ref.value}</datastore></spec>`);
    const moved = (await raw.objects('VirtualMachine', ['datastore'])).find((o) => o.ref.value === vm.value)!;
    expect(list((moved.props.datastore as Node).ManagedObjectReference).map(text)).toEqual([ds1!.ref.value]);
    // the VM's datastore list changed; its disks still name their old files on the old datastore
    expect(await serverDisks(vm.value)).toEqual(before);
    expect(before.every((d) => !d.file.startsWith(`[${ds1!.name}]`))).toBe(true);
  });
});
