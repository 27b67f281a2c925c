// Host actions of the vSphere provider against vcsim (issue 13): Maintenance Mode
// (every running VM moved to another host of the cluster, one child task each, then
// EnterMaintenanceMode_Task), exit, evacuate, reboot/shut down/power on. vcsim 0.24
// enters and leaves Maintenance Mode without checking anything, and has no
// RebootHost_Task, ShutdownHost_Task or PowerUpHostFromStandBy_Task: those come back
// as the server's MethodNotFound. Everything is read back through the independent
// SOAP client: runtime.host of each VM, runtime.inMaintenanceMode of the host.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import type { ActionName } from '../../../shared/model';
import { BUILD_AND_START_TIMEOUT, Mirror, SERVER_ID, TEST_TIMEOUT, skipVcsim, startConnected, taskReporter, type ConnectedPeer } from './harness';
import { rawHost, rawHosts, rawRelocate, rawVms, setMaintenance, type RawHost, type RawVm } from './placement';
import type { RawSoap } from './raw-soap';

const hostId = (ref: string) => `${SERVER_ID}:host:${ref}`;
const OUT_OF_MAINTENANCE: ActionName[] = ['maintenance_enter', 'evacuate', 'host_reboot', 'host_shutdown'];
const IN_MAINTENANCE: ActionName[] = ['maintenance_exit', 'host_reboot', 'host_shutdown'];

describe.skipIf(skipVcsim)('vSphere host actions (VPX model)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let provider: VsphereProvider;
  let mirror: Mirror;
  let raw: RawSoap;
  let cluster: RawHost[];
  let standalone: RawHost;

  const act = (host: RawHost, action: ActionName, params: { force?: boolean } = {}, task = taskReporter()) =>
    provider.runAction({ nativeRef: host.ref, kind: 'host' }, action, params, task);
  const running = async (host: RawHost): Promise<RawVm[]> => (await rawVms(raw)).filter((v) => v.host === host.ref && v.powerState === 'poweredOn');
  const hostNode = (host: RawHost, maintenance: boolean) =>
    mirror.until(() => {
      const node = mirror.nodes.get(hostId(host.ref));
      return node?.maintenance === maintenance && node;
    }, `${host.name} ${maintenance ? 'in' : 'out of'} maintenance in the tree`);
  /** Brings every running VM of the cluster onto `host` (through the other client) and waits until the tree shows it. */
  const gather = async (host: RawHost): Promise<RawVm[]> => {
    const refs = new Set(cluster.map((h) => h.ref));
    for (const vm of (await rawVms(raw)).filter((v) => refs.has(v.host) && v.host !== host.ref && v.powerState === 'poweredOn')) {
      await rawRelocate(raw, vm.ref, host.ref);
    }
    const vms = await running(host);
    await mirror.until(() => vms.every((v) => mirror.vm(v.ref)?.parentId === hostId(host.ref)), `the running VMs on ${host.name}`);
    return vms;
  };

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx', datacenters: 1, clusters: 1, hosts: 3, standaloneHosts: 1, vms: 4 });
    ({ provider, mirror, raw } = peer);
    const hosts = await rawHosts(raw);
    cluster = hosts.filter((h) => h.parent.type === 'ClusterComputeResource');
    standalone = hosts.find((h) => h.parent.type === 'ComputeResource')!;
    expect(cluster).toHaveLength(3);
  }, BUILD_AND_START_TIMEOUT);

  // every test starts with no host in Maintenance Mode, as vcsim and the tree both say
  beforeEach(async () => {
    for (const h of await rawHosts(raw)) {
      if (h.inMaintenance) await setMaintenance(raw, h.ref, false);
      await hostNode(h, false);
    }
  });

  afterAll(() => peer?.stop());

  it('plans an evacuation over the other hosts of the cluster, fewest VMs first, leaving VMs that are off', async () => {
    const [host, ...others] = cluster;
    const vms = await gather(host);
    expect(vms.length).toBeGreaterThanOrEqual(4);
    const off = vms.pop()!;
    await raw.runTask('PowerOffVM_Task', { type: 'VirtualMachine', value: off.ref });
    await mirror.until(() => mirror.vm(off.ref)?.state === 'halted', 'the VM off');

    const plan = await provider.migration!.evacuationPlan(host.ref);
    expect(plan.map((s) => s.vmRef).sort()).toEqual(vms.map((v) => v.ref).sort());
    const perHost = new Map(others.map((h) => [h.ref, 0]));
    for (const step of plan) {
      expect(step.reason).toBeUndefined();
      perHost.set(step.hostRef!, perHost.get(step.hostRef!)! + 1);
    }
    // the others hold no running VM now: the plan spreads evenly
    expect(Math.max(...perHost.values()) - Math.min(...perHost.values())).toBeLessThanOrEqual(1);
    await raw.runTask('PowerOnVM_Task', { type: 'VirtualMachine', value: off.ref });
  });

  it('enters Maintenance Mode: each running VM moves to another host of the cluster as a child task, then the host is in maintenance', async () => {
    const [host, ...others] = cluster;
    const vms = await gather(host);
    const off = vms.pop()!;
    await raw.runTask('PowerOffVM_Task', { type: 'VirtualMachine', value: off.ref });
    // the plan is made from the provider's view: it must know the VM is off, or it moves it too
    await mirror.until(() => mirror.vm(off.ref)?.state === 'halted', 'the VM off');
    const task = taskReporter();
    await expect(act(host, 'maintenance_enter', {}, task)).resolves.toEqual({});

    expect((await rawHost(raw, host.ref)).inMaintenance).toBe(true);
    const after = await rawVms(raw);
    for (const vm of vms) {
      const now = after.find((v) => v.ref === vm.ref)!;
      expect(others.map((h) => h.ref), vm.name).toContain(now.host);
      expect(now.powerState).toBe('poweredOn');
    }
    // vSphere leaves powered-off VMs registered on a host in maintenance
    expect(after.find((v) => v.ref === off.ref)!.host).toBe(host.ref);
    const byRef = (a: string[], b: string[]) => a[0].localeCompare(b[0]);
    expect(task.children.map((c) => [c.step.target.nativeRef, c.step.name, c.step.action, c.info.status]).sort(byRef)).toEqual(
      vms.map((v) => [v.ref, v.name, 'migrate', 'success']).sort(byRef),
    );
    expect(task.fractions.at(-1)).toBe(1);

    const node = await hostNode(host, true);
    expect(node.allowed).toEqual(IN_MAINTENANCE);
    for (const vm of vms) expect(mirror.vm(vm.ref)!.parentId).not.toBe(hostId(host.ref));

    await expect(act(host, 'maintenance_exit')).resolves.toEqual({});
    expect((await rawHost(raw, host.ref)).inMaintenance).toBe(false);
    expect((await hostNode(host, false)).allowed).toEqual(OUT_OF_MAINTENANCE);
    await raw.runTask('PowerOnVM_Task', { type: 'VirtualMachine', value: off.ref });
  });

  it('refuses to restart or shut down a host outside Maintenance Mode unless forced; vcsim has neither method', async () => {
    const [host] = cluster;
    for (const action of ['host_reboot', 'host_shutdown'] as const) {
      await expect(act(host, action)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'force' } });
      // forced, the server is asked: vcsim 0.24 answers that it has no such method
      await expect(act(host, action, { force: true })).rejects.toMatchObject({ info: { code: 'UNSUPPORTED', serverCode: 'MethodNotFound' } });
    }
    await setMaintenance(raw, host.ref, true);
    await hostNode(host, true);
    const method = { host_reboot: 'RebootHost_Task', host_shutdown: 'ShutdownHost_Task' };
    for (const action of ['host_reboot', 'host_shutdown'] as const) {
      await expect(act(host, action)).rejects.toMatchObject({
        info: { code: 'UNSUPPORTED', serverCode: 'MethodNotFound', message: expect.stringContaining(`answered ${method[action]} with "method not found"`) },
      });
    }
    expect(await rawHost(raw, host.ref)).toMatchObject({ inMaintenance: true, connectionState: 'connected', powerState: 'poweredOn' });
  });

  it('offers power on only to a host in standby (vcsim has none, nor PowerUpHostFromStandBy_Task)', async () => {
    for (const host of mirror.ofKind('host')) expect(host.allowed).not.toContain('host_power_on');
    await expect(act(cluster[0], 'host_power_on')).rejects.toMatchObject({ info: { code: 'UNSUPPORTED', serverCode: 'MethodNotFound' } });
  });

  it('evacuates a host: its running VMs move, the host stays out of maintenance', async () => {
    const [, host, ...rest] = cluster;
    const vms = await gather(host);
    const task = taskReporter();
    await expect(act(host, 'evacuate', {}, task)).resolves.toEqual({});
    expect(await running(host)).toEqual([]);
    const targets = new Set([cluster[0], ...rest].map((h) => h.ref));
    const after = await rawVms(raw);
    for (const vm of vms) expect(targets.has(after.find((v) => v.ref === vm.ref)!.host), vm.name).toBe(true);
    expect((await rawHost(raw, host.ref)).inMaintenance).toBe(false);
    expect(task.children).toHaveLength(vms.length);
  });

  it('refuses to evacuate a standalone host: no other host of a cluster to take its VMs, nothing moves', async () => {
    const before = await running(standalone);
    expect(before.length).toBeGreaterThan(0);
    const plan = await provider.migration!.evacuationPlan(standalone.ref);
    expect(plan.every((s) => !s.hostRef && s.reason?.message.includes('not in a cluster'))).toBe(true);
    expect(mirror.nodes.get(hostId(standalone.ref))!.allowed).not.toContain('evacuate');
    await expect(act(standalone, 'evacuate')).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(act(standalone, 'maintenance_enter')).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    expect(await running(standalone)).toEqual(before);
    expect((await rawHost(raw, standalone.ref)).inMaintenance).toBe(false);
  });

  it('refuses Maintenance Mode when every other host of the cluster is in maintenance, before moving anything', async () => {
    const [host, ...others] = cluster;
    const vms = await gather(host);
    for (const h of others) await setMaintenance(raw, h.ref, true);
    for (const h of others) await hostNode(h, true);
    const failure = act(host, 'maintenance_enter');
    await expect(failure).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(failure).rejects.toThrow(/Maintenance Mode/);
    expect((await running(host)).map((v) => v.ref).sort()).toEqual(vms.map((v) => v.ref).sort());
    expect((await rawHost(raw, host.ref)).inMaintenance).toBe(false);
  });

  it('stops after the VM that was moving when the task is cancelled, and leaves the host out of maintenance', async () => {
    const [host] = cluster;
    const vms = await gather(host);
    expect(vms.length).toBeGreaterThanOrEqual(2);
    const task = taskReporter();
    const runChild = task.child;
    task.child = async (step, work) => {
      const info = await runChild(step, work);
      task.cancel();
      return info;
    };
    await expect(act(host, 'maintenance_enter', {}, task)).rejects.toMatchObject({ info: { code: 'CANCELLED' } });
    expect(task.children).toHaveLength(1);
    const moved = task.children[0].step.target.nativeRef;
    expect((await running(host)).map((v) => v.ref).sort()).toEqual(vms.filter((v) => v.ref !== moved).map((v) => v.ref).sort());
    expect((await rawHost(raw, host.ref)).inMaintenance).toBe(false);
  });
});
