// Making, changing and removing VMs on vSphere (issue 14) against vcsim, every
// change read back through an independent SOAP session (RawSoap: a ContainerView,
// not the provider's traversal) and the datastore's own HTTP file service
// (/folder/…), not only through the provider's tree.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateOptions } from '../../../shared/guests';
import type { InventoryNode } from '../../../shared/model';
import type { ProviderGuests } from '../../../electron/core/providers/provider';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { BUILD_AND_START_TIMEOUT, Mirror, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { RawSoap, text } from './raw-soap';
import { rejection } from './rejection';
import { datastoreHttp, serverVm, type Node } from './vm-readback';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const ISO_DIR = 'isos';
const ISO_NAME = 'install-disc.iso';

describe.skipIf(skipVcsim)('vSphere guests: create, configure, clone, templates, delete (VPX model)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let guests: ProviderGuests;
  let mirror: Mirror;
  let raw: RawSoap;
  let options: Omit<CreateOptions, 'serverId'>;

  const vmNode = (name: string, kind: 'vm' | 'template' = 'vm') => mirror.until(() => mirror.byName(kind, name), `${kind} ${name} in the tree`);
  const target = (node: InventoryNode) => ({ nativeRef: node.nativeRef, kind: node.kind });
  const networkId = (name: string) => options.networks.find((n) => n.name === name)!.id;
  const clusterHost = () => mirror.ofKind('host').find((h) => h.name === 'DC0_C0_H1')!;

  /** A powered-off VM with one 1 GiB disk on VM Network, made through the provider. */
  const makeVm = async (name: string) => {
    await guests.create(
      { templateId: 'new:otherGuest64', name, vcpus: 1, memory: { sizeBytes: 512 * MiB }, disks: [{ sizeBytes: GiB, storageId: options.storages[0].id }], networks: [{ networkId: networkId('VM Network') }] },
      taskReporter(),
    );
    return vmNode(name);
  };

  /** CPU / Memory Hot Add as the simulator holds them, read through the independent session. */
  const hotAddOf = async (ref: { value: string }) => {
    const vm = (await raw.objects('VirtualMachine', ['config.cpuHotAddEnabled', 'config.memoryHotAddEnabled'])).find((v) => v.ref.value === ref.value)!;
    return { cpu: text(vm.props['config.cpuHotAddEnabled']) === 'true', memory: text(vm.props['config.memoryHotAddEnabled']) === 'true' };
  };

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx' });
    ({ provider, mirror, raw } = peer);
    guests = provider.guests;
    const put = await datastoreHttp(peer.sim, 'PUT', `${ISO_DIR}/${ISO_NAME}`, Buffer.alloc(64 * 1024, 7));
    expect(put.status).toBe(200);
    options = await guests.createOptions();
  }, BUILD_AND_START_TIMEOUT);
  afterAll(() => peer?.stop());

  it('offers the datastores, networks, hosts and ISO images the server has', async () => {
    const stores = await raw.objects('Datastore', ['summary']);
    expect(options.storages.map((s) => s.name).sort()).toEqual(stores.map((s) => text((s.props.summary as Node).name)).sort());
    const local = stores.find((s) => text((s.props.summary as Node).name) === 'LocalDS_0')!;
    expect(options.storages.find((s) => s.name === 'LocalDS_0')).toMatchObject({
      id: local.ref.value,
      freeBytes: Number(text((local.props.summary as Node).freeSpace)),
      capacityBytes: Number(text((local.props.summary as Node).capacity)),
      isDefault: true,
    });
    const names = options.networks.map((n) => n.name);
    expect(names).toContain('VM Network');
    expect(names).toContain('DC0_DVPG0');
    const hosts = await raw.objects('HostSystem', ['name', 'runtime.connectionState']);
    expect(options.hosts.map((h) => h.name).sort()).toEqual(hosts.filter((h) => text(h.props['runtime.connectionState']) === 'connected').map((h) => text(h.props.name)).sort());
    expect(options.isos).toContainEqual(expect.objectContaining({ id: `[LocalDS_0] ${ISO_DIR}/${ISO_NAME}`, storageName: 'LocalDS_0', sizeBytes: 64 * 1024 }));
    expect(options.templates.find((t) => t.id === 'new:otherGuest64')).toMatchObject({ makes: 'vm', install: ['iso'] });
  });

  it('creates a VM with two disks, a standard and a distributed network and an ISO on the chosen host, started when done', async () => {
    const host = clusterHost();
    const task = taskReporter();
    const result = await guests.create(
      {
        templateId: 'new:ubuntu64Guest',
        name: 'pv-new',
        description: 'made by Polyvisor',
        vcpus: 2,
        memory: { sizeBytes: GiB, reservationBytes: 256 * MiB },
        disks: [
          { sizeBytes: GiB, storageId: options.storages[0].id },
          { sizeBytes: 2 * GiB, storageId: options.storages[0].id },
        ],
        networks: [{ networkId: networkId('VM Network') }, { networkId: networkId('DC0_DVPG0') }],
        isoId: `[LocalDS_0] ${ISO_DIR}/${ISO_NAME}`,
        hostRef: host.nativeRef,
        start: true,
      },
      task,
    );
    const vm = (await serverVm(raw, 'pv-new'))!;
    expect(result.resultId).toBe(`srv-vsphere:vm:${vm.ref.value}`);
    expect(vm).toMatchObject({ numCPU: 2, memoryMB: 1024, reservationMB: 256, annotation: 'made by Polyvisor', power: 'poweredOn', template: false });
    expect(vm.disks.map((d) => d.kb)).toEqual([GiB / 1024, (2 * GiB) / 1024]);
    expect(vm.disks.every((d) => d.file.startsWith('[LocalDS_0] pv-new/'))).toBe(true);
    const portgroup = (await raw.objects('DistributedVirtualPortgroup', ['name', 'key'])).find((p) => text(p.props.name) === 'DC0_DVPG0')!;
    expect(vm.nics).toEqual([expect.objectContaining({ network: 'VM Network' }), expect.objectContaining({ network: text(portgroup.props.key) })]);
    expect(vm.cdroms).toEqual([{ iso: `[LocalDS_0] ${ISO_DIR}/${ISO_NAME}` }]);
    const placed = await raw.objects('VirtualMachine', ['name', 'runtime.host']);
    expect(text(placed.find((p) => text(p.props.name) === 'pv-new')!.props['runtime.host'])).toBe(host.nativeRef);
    expect(task.fractions.at(-1)).toBe(1);
    const node = await mirror.until(() => mirror.byName('vm', 'pv-new')?.state === 'running' && mirror.byName('vm', 'pv-new'), 'pv-new running in the tree');
    expect(node.id).toBe(result.resultId);

    const props = await guests.properties(target(node));
    expect(props).toMatchObject({ name: 'pv-new', description: 'made by Polyvisor', vcpus: 2, memory: { sizeBytes: GiB, reservationBytes: 256 * MiB } });
    expect(props.disks.map((d) => [d.sizeBytes, d.storageName])).toEqual([
      [GiB, 'LocalDS_0'],
      [2 * GiB, 'LocalDS_0'],
    ]);
    expect(props.nics).toEqual([
      expect.objectContaining({ networkName: 'VM Network', mac: vm.nics[0].mac }),
      expect.objectContaining({ networkName: 'DC0_DVPG0', mac: vm.nics[1].mac }),
    ]);
    expect(props.cd).toEqual({ isoId: `[LocalDS_0] ${ISO_DIR}/${ISO_NAME}`, isoName: `${ISO_DIR}/${ISO_NAME}` });
  });

  it('changes vCPUs and the memory reservation, limit and shares; refuses vCPUs of a running VM without CPU Hot Add', async () => {
    const node = await makeVm('pv-config');
    await guests.configure(target(node), { vcpus: 4, memory: { sizeBytes: GiB, reservationBytes: 512 * MiB, limitBytes: 768 * MiB, shares: 5000 } }, taskReporter());
    expect(await serverVm(raw, 'pv-config')).toMatchObject({ numCPU: 4, memoryMB: 1024, reservationMB: 512, limitMB: 768, shares: 5000 });
    await mirror.until(() => mirror.byName('vm', 'pv-config')?.props.vcpus === 4, 'the tree showing 4 vCPUs');

    // 0 = unlimited (vSphere's -1); what the change leaves out stays as it was
    await guests.configure(target(node), { memory: { limitBytes: 0 } }, taskReporter());
    expect(await serverVm(raw, 'pv-config')).toMatchObject({ limitMB: -1, reservationMB: 512, shares: 5000 });

    const vmRef = (await serverVm(raw, 'pv-config'))!.ref;
    await raw.runTask('PowerOnVM_Task', vmRef);
    const refused = await rejection(guests.configure(target(node), { vcpus: 2 }, taskReporter()));
    expect(refused).toMatchObject({ code: 'INVALID_INPUT', field: 'vcpus' });
    expect(refused.message).toContain('CPU Hot Add');
    expect((await serverVm(raw, 'pv-config'))!.numCPU).toBe(4);
    // resource allocation is taken live
    await guests.configure(target(node), { memory: { reservationBytes: 128 * MiB } }, taskReporter());
    expect((await serverVm(raw, 'pv-config'))!.reservationMB).toBe(128);
    await raw.runTask('PowerOffVM_Task', vmRef);
  });

  it('adds vCPUs and memory to a running VM where CPU / Memory Hot Add is enabled, and says which it has', async () => {
    const node = await makeVm('pv-hotadd');
    expect((await guests.properties(target(node))).hotAdd).toEqual({ cpu: false, memory: false });
    const vmRef = (await serverVm(raw, 'pv-hotadd'))!.ref;
    await raw.runTask('ReconfigVM_Task', vmRef, '<spec><cpuHotAddEnabled>true</cpuHotAddEnabled><memoryHotAddEnabled>true</memoryHotAddEnabled></spec>');
    expect(await hotAddOf(vmRef)).toEqual({ cpu: true, memory: true });
    expect((await guests.properties(target(node))).hotAdd).toEqual({ cpu: true, memory: true });
    await raw.runTask('PowerOnVM_Task', vmRef);
    await guests.configure(target(node), { vcpus: 2, memory: { sizeBytes: GiB } }, taskReporter());
    expect(await serverVm(raw, 'pv-hotadd')).toMatchObject({ numCPU: 2, memoryMB: 1024, power: 'poweredOn' });
    // vSphere adds memory to a running VM but never takes it away
    const less = await rejection(guests.configure(target(node), { memory: { sizeBytes: 512 * MiB } }, taskReporter()));
    expect(less).toMatchObject({ code: 'INVALID_INPUT', field: 'memory.sizeBytes' });
    expect((await serverVm(raw, 'pv-hotadd'))!.memoryMB).toBe(1024);
    await raw.runTask('PowerOffVM_Task', vmRef);
  });

  it('inserts an ISO in a VM without a drive, then ejects it', async () => {
    const node = await makeVm('pv-cd');
    const iso = `[LocalDS_0] ${ISO_DIR}/${ISO_NAME}`;
    await guests.configure(target(node), { isoId: iso }, taskReporter());
    expect((await serverVm(raw, 'pv-cd'))!.cdroms).toEqual([{ iso }]);
    await guests.configure(target(node), { isoId: null }, taskReporter());
    expect((await serverVm(raw, 'pv-cd'))!.cdroms).toEqual([{ iso: '' }]);
    expect((await guests.properties(target(node))).cd).toEqual({ isoId: null });
  });

  it('clones a VM (a full copy), turns it into a template and back', async () => {
    const source = await makeVm('pv-source');
    expect(source.allowed).toEqual(expect.arrayContaining(['clone', 'to_template', 'destroy']));
    const cloned = await provider.runAction(target(source), 'clone', { name: 'pv-copy' }, taskReporter());
    const copy = (await serverVm(raw, 'pv-copy'))!;
    expect(cloned.resultId).toBe(`srv-vsphere:vm:${copy.ref.value}`);
    expect(copy).toMatchObject({ numCPU: 1, memoryMB: 512, template: false });
    expect(copy.disks.map((d) => d.kb)).toEqual([GiB / 1024]);
    expect(copy.disks[0].file).toMatch(/^\[LocalDS_0\] pv-copy\//);
    const copyNode = await vmNode('pv-copy');

    await provider.runAction(target(copyNode), 'to_template', {}, taskReporter());
    expect((await serverVm(raw, 'pv-copy'))!.template).toBe(true);
    const template = await vmNode('pv-copy', 'template');
    expect(template.allowed).toEqual(expect.arrayContaining(['clone', 'to_vm', 'destroy']));
    expect(mirror.byName('vm', 'pv-copy')).toBeUndefined();

    await provider.runAction(target(template), 'to_vm', {}, taskReporter());
    expect((await serverVm(raw, 'pv-copy'))!.template).toBe(false);
    const pools = await raw.objects('VirtualMachine', ['name', 'resourcePool']);
    expect(text(pools.find((p) => text(p.props.name) === 'pv-copy')!.props.resourcePool)).not.toBe('');
    await vmNode('pv-copy');
  });

  it('makes a VM from a template: more memory, a grown disk, one more disk, the template left as it was', async () => {
    const base = await makeVm('pv-base');
    await provider.runAction(target(base), 'to_template', {}, taskReporter());
    const template = await vmNode('pv-base', 'template');
    const fresh = await guests.createOptions();
    const choice = fresh.templates.find((t) => t.nodeId === template.id)!;
    expect(choice).toMatchObject({ id: `template:${template.nativeRef}`, vcpus: 1, memory: { sizeBytes: 512 * MiB }, disks: [{ sizeBytes: GiB }], install: ['cloud-init'], copiesDisks: true });
    // a disk smaller than the template's is refused before anything is cloned
    const smaller = await rejection(guests.create({ templateId: choice.id, name: 'pv-shrunk', disks: [{ sizeBytes: 512 * MiB }] }, taskReporter()));
    expect(smaller).toMatchObject({ code: 'INVALID_INPUT', field: 'disks.0.sizeBytes' });
    expect(smaller.message).toContain('cannot shrink');
    expect(await serverVm(raw, 'pv-shrunk')).toBeUndefined();
    await guests.create({ templateId: choice.id, name: 'pv-from-template', vcpus: 2, memory: { sizeBytes: GiB }, disks: [{ sizeBytes: 2 * GiB }, { sizeBytes: GiB }] }, taskReporter());
    expect(await serverVm(raw, 'pv-from-template')).toMatchObject({ numCPU: 2, memoryMB: 1024, template: false, disks: [{ kb: (2 * GiB) / 1024 }, { kb: GiB / 1024 }] });
    expect(await serverVm(raw, 'pv-base')).toMatchObject({ numCPU: 1, memoryMB: 512, template: true, disks: [{ kb: GiB / 1024 }] });
    await vmNode('pv-from-template');
  });

  it('lists what a delete removes, keeps the files when asked, and deletes them with the VM', async () => {
    const kept = await makeVm('pv-kept');
    await provider.runAction(target(kept), 'destroy', { keepDisks: true }, taskReporter());
    expect(await serverVm(raw, 'pv-kept')).toBeUndefined();
    expect((await datastoreHttp(peer.sim, 'GET', 'pv-kept/pv-kept.vmdk')).status).toBe(200);
    await mirror.until(() => !mirror.byName('vm', 'pv-kept'), 'pv-kept leaving the tree');

    const gone = await makeVm('pv-gone');
    const plan = await guests.deletePlan(target(gone));
    expect(plan).toEqual({ snapshots: 0, disks: [{ name: '[LocalDS_0] pv-gone/pv-gone.vmdk', sizeBytes: GiB, storageName: 'LocalDS_0' }] });
    await raw.runTask('CreateSnapshot_Task', (await serverVm(raw, 'pv-gone'))!.ref, '<name>s1</name><memory>false</memory><quiesce>false</quiesce>');
    expect((await guests.deletePlan(target(gone))).snapshots).toBe(1);
    expect((await datastoreHttp(peer.sim, 'GET', 'pv-gone/pv-gone.vmdk')).status).toBe(200);

    const running = (await serverVm(raw, 'pv-gone'))!.ref;
    await raw.runTask('PowerOnVM_Task', running);
    expect(await rejection(provider.runAction(target(gone), 'destroy', {}, taskReporter()))).toMatchObject({ code: 'INVALID_INPUT', field: 'force' });
    expect(await serverVm(raw, 'pv-gone')).toBeDefined();
    await provider.runAction(target(gone), 'destroy', { force: true }, taskReporter());
    expect(await serverVm(raw, 'pv-gone')).toBeUndefined();
    expect((await datastoreHttp(peer.sim, 'GET', 'pv-gone/pv-gone.vmdk')).status).toBe(404);
    await mirror.until(() => !mirror.byName('vm', 'pv-gone'), 'pv-gone leaving the tree');
  });
});
