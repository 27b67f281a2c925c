// Moving VMs between the hosts of one vCenter against vcsim (issue 13). vcsim 0.24
// has RelocateVM_Task and no MigrateVM_Task: the provider relocates a running VM to
// another host, which is what a vMotion is in vSphere too. vcsim checks nothing when
// it relocates, and has neither CheckMigrate_Task nor QueryVMotionCompatibility, so
// the reasons in a plan are Polyvisor's reading of the hosts' state (no serverCode);
// the server's own faults (an object it does not know) come back with their type.
// Every move is read back through the independent SOAP client: runtime.host,
// resourcePool, datastore.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { vsphereDescriptor } from '../../../electron/core/providers/vsphere/descriptor';
import { BUILD_AND_START_TIMEOUT, Mirror, SERVER_ID, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { rawDatastores, rawHost, rawHosts, rawRootPool, rawVm, rawVms, setMaintenance, type RawHost } from './placement';
import type { RawSoap } from './raw-soap';

const hostId = (ref: string) => `${SERVER_ID}:host:${ref}`;

describe.skipIf(skipVcsim)('vSphere migration (VPX model)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let mirror: Mirror;
  let raw: RawSoap;
  let hosts: RawHost[];

  const migrate = (vmRef: string, targetRef: string, storageId?: string) => {
    const task = taskReporter();
    return { task, done: provider.runAction({ nativeRef: vmRef, kind: 'vm' }, 'migrate', { targetRef, ...(storageId ? { storageId } : {}) }, task) };
  };
  /** Hosts of datacenter `dc` (vcsim names them DC<n>_C<m>_H<k> in clusters, DC<n>_H<k> standalone). */
  const inDc = (dc: number, clustered: boolean) => hosts.filter((h) => h.name.startsWith(`DC${dc}_`) && (h.parent.type === 'ClusterComputeResource') === clustered);
  /** A running VM on a host of DC0's cluster, as vcsim says now. */
  const runningClusterVm = async () => {
    const cluster = new Set(inDc(0, true).map((h) => h.ref));
    const vm = (await rawVms(raw)).find((v) => cluster.has(v.host) && v.powerState === 'poweredOn');
    if (!vm) throw new Error('no running VM in the cluster');
    return vm;
  };
  const placedOn = (vmRef: string, host: string) =>
    mirror.until(() => mirror.vm(vmRef)?.parentId === hostId(host) && mirror.vm(vmRef), `${vmRef} under ${host} in the tree`);

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx', datacenters: 2, clusters: 1, hosts: 3, standaloneHosts: 1, vms: 2, datastores: 2 });
    ({ provider, mirror, raw } = peer);
    hosts = await rawHosts(raw);
  }, BUILD_AND_START_TIMEOUT);

  afterAll(() => peer?.stop());

  it('says vSphere migrates live, names Maintenance Mode, and offers migrate and the host actions', () => {
    expect(vsphereDescriptor.facets.migration).toBe('live');
    expect(vsphereDescriptor.facets.maintenanceMode).toEqual({ en: 'Maintenance Mode', 'zh-CN': '维护模式' });
    expect(provider.migration).toBeDefined();
    for (const vm of mirror.ofKind('vm')) expect(vm.allowed, vm.name).toContain('migrate');
    expect(mirror.ofKind('host')).toHaveLength(hosts.length);
    for (const host of mirror.ofKind('host')) {
      expect(host.maintenance, host.name).toBe(false);
      // evacuation moves VMs within a cluster: a standalone host (DC<n>_H<k>) cannot
      const clustered = hosts.find((h) => h.ref === host.nativeRef)!.parent.type === 'ClusterComputeResource';
      expect(host.allowed, host.name).toEqual(['maintenance_enter', ...(clustered ? ['evacuate'] : []), 'host_reboot', 'host_shutdown']);
    }
  });

  it('plans every other host of the server: those of the VM’s datacenter ok, the other datacenter’s with the reason', async () => {
    const vm = await runningClusterVm();
    const [answer] = await provider.migration!.plan([vm.ref]);
    expect(answer.vmRef).toBe(vm.ref);
    expect(new Set(answer.targets.map((t) => t.hostRef))).toEqual(new Set(hosts.filter((h) => h.ref !== vm.host).map((h) => h.ref)));
    for (const target of answer.targets) {
      const host = hosts.find((h) => h.ref === target.hostRef)!;
      if (host.name.startsWith('DC0_')) expect(target, host.name).toEqual({ hostRef: host.ref, ok: true });
      else expect(target.reason, host.name).toEqual({ code: 'INVALID_INPUT', message: `${host.name} is in another datacenter.` });
    }
  });

  it('follows Maintenance Mode another user sets: the host says so, and plans and migrations refuse it', async () => {
    const vm = await runningClusterVm();
    const target = inDc(0, true).find((h) => h.ref !== vm.host)!;
    await setMaintenance(raw, target.ref, true);
    try {
      const node = await mirror.until(() => {
        const n = mirror.nodes.get(hostId(target.ref));
        return n?.maintenance === true && n;
      }, `${target.name} in maintenance in the tree`);
      expect(node.allowed).toEqual(['maintenance_exit', 'host_reboot', 'host_shutdown']);
      expect(node.props.maintenanceMode).toBe(true);

      const [answer] = await provider.migration!.plan([vm.ref]);
      expect(answer.targets.find((t) => t.hostRef === target.ref)).toEqual({
        hostRef: target.ref,
        ok: false,
        reason: { code: 'INVALID_INPUT', message: `${target.name} is in Maintenance Mode.` },
      });
      await expect(migrate(vm.ref, target.ref).done).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'targetId' } });
      expect((await rawVm(raw, vm.ref)).host).toBe(vm.host);
    } finally {
      await setMaintenance(raw, target.ref, false);
    }
    await mirror.until(() => mirror.nodes.get(hostId(target.ref))?.maintenance === false, `${target.name} out of maintenance`);
    expect((await rawHost(raw, target.ref)).inMaintenance).toBe(false);
  });

  it('moves a running VM to another host of its cluster with RelocateVM_Task: vcsim and the tree both say so', async () => {
    const vm = await runningClusterVm();
    const target = inDc(0, true).find((h) => h.ref !== vm.host)!;
    const { task, done } = migrate(vm.ref, target.ref);
    await expect(done).resolves.toEqual({});
    expect(task.fractions.at(-1)).toBe(1);
    const after = await rawVm(raw, vm.ref);
    expect(after).toMatchObject({ host: target.ref, powerState: 'poweredOn', resourcePool: vm.resourcePool, datastores: vm.datastores });
    const node = await placedOn(vm.ref, target.ref);
    expect(node.state).toBe('running');
    expect(node.props.host).toBe(target.name);
  });

  it('joins the standalone host’s resource pool when the VM leaves the cluster', async () => {
    const vm = await runningClusterVm();
    const [standalone] = inDc(0, false);
    await expect(migrate(vm.ref, standalone.ref).done).resolves.toEqual({});
    const after = await rawVm(raw, vm.ref);
    expect(after.host).toBe(standalone.ref);
    expect(after.resourcePool).toBe(await rawRootPool(raw, standalone.parent));
    expect(after.resourcePool).not.toBe(vm.resourcePool);
    await placedOn(vm.ref, standalone.ref);
  });

  it('moves the disks to the datastore asked for (storageId), and refuses one the host does not mount', async () => {
    const vm = await runningClusterVm();
    const target = inDc(0, true).find((h) => h.ref !== vm.host)!;
    const other = (await rawDatastores(raw)).find((d) => d.name.startsWith('LocalDS_') && !vm.datastores.includes(d.ref));
    expect(other, 'a second datastore').toBeDefined();
    await expect(migrate(vm.ref, target.ref, 'datastore-404').done).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'storageId' } });
    expect((await rawVm(raw, vm.ref)).host).toBe(vm.host);

    await expect(migrate(vm.ref, target.ref, other!.ref).done).resolves.toEqual({});
    expect(await rawVm(raw, vm.ref)).toMatchObject({ host: target.ref, datastores: [other!.ref] });
    await placedOn(vm.ref, target.ref);
  });

  it('moves a powered-off VM too (a cold migration), still off', async () => {
    const vm = await runningClusterVm();
    await raw.runTask('PowerOffVM_Task', { type: 'VirtualMachine', value: vm.ref });
    const node = await mirror.until(() => mirror.vm(vm.ref)?.state === 'halted' && mirror.vm(vm.ref), 'the VM off');
    expect(node.allowed).toContain('migrate');
    const target = inDc(0, true).find((h) => h.ref !== vm.host)!;
    await expect(migrate(vm.ref, target.ref).done).resolves.toEqual({});
    expect(await rawVm(raw, vm.ref)).toMatchObject({ host: target.ref, powerState: 'poweredOff' });
    await raw.runTask('PowerOnVM_Task', { type: 'VirtualMachine', value: vm.ref });
  });

  it('refuses a host of another datacenter before asking the server', async () => {
    const vm = await runningClusterVm();
    const far = inDc(1, true)[0];
    await expect(migrate(vm.ref, far.ref).done).rejects.toMatchObject({
      info: { code: 'INVALID_INPUT', message: `${vm.name} cannot move to ${far.name}: ${far.name} is in another datacenter.` },
    });
    expect((await rawVm(raw, vm.ref)).host).toBe(vm.host);
  });

  it('carries the server’s fault type and message when vcsim refuses the relocation', async () => {
    const target = inDc(0, true)[0];
    // a VM the server does not know (deleted meanwhile): vcsim's own ManagedObjectNotFound
    const failure = migrate('vm-404', target.ref).done;
    await expect(failure).rejects.toMatchObject({ info: { code: 'NOT_FOUND', serverCode: 'ManagedObjectNotFound' } });
    await expect(failure).rejects.toThrow(/RelocateVM_Task.*vm-404/);
  });

  it('takes migrate away from VMs when no other host of their datacenter can take them', async () => {
    const dc1 = hosts.filter((h) => h.name.startsWith('DC1_'));
    const vm = (await rawVms(raw)).find((v) => v.host === dc1[0].ref)!;
    const others = dc1.filter((h) => h.ref !== vm.host);
    for (const h of others) await setMaintenance(raw, h.ref, true);
    try {
      await mirror.until(() => !mirror.vm(vm.ref)?.allowed.includes('migrate'), 'migrate gone from the VM');
      const [answer] = await provider.migration!.plan([vm.ref]);
      expect(answer.targets.filter((t) => t.ok)).toEqual([]);
    } finally {
      for (const h of others) await setMaintenance(raw, h.ref, false);
    }
    await mirror.until(() => mirror.vm(vm.ref)?.allowed.includes('migrate'), 'migrate back on the VM');
  });

  it('answers NOT_FOUND for a VM or host the inventory does not have', async () => {
    await expect(provider.migration!.plan(['vm-404'])).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
    const vm = await runningClusterVm();
    await expect(migrate(vm.ref, 'host-404').done).rejects.toMatchObject({ info: { code: 'NOT_FOUND', field: 'targetId' } });
  });
});
