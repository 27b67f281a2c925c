// Inventory, live updates and sessions of the vSphere provider against govmomi's
// vcsim over HTTPS, in both models: vCenter (VPX) and a standalone ESXi (ESX).
// Everything is cross-checked with a second, independent SOAP client (RawSoap).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError } from '../../../shared/errors';
import type { VsphereProvider } from '../../../electron/core/providers/vsphere';
import { startVcsim, type Vcsim } from '../../peers/vcsim';
import { BUILD_AND_START_TIMEOUT, Mirror, SERVER_ID, TEST_TIMEOUT, WAIT_MS, logsOf, providerFor, skipVcsim, startConnected, taskReporter, waitFor, type ConnectedPeer } from './harness';
import { RawSoap, text } from './raw-soap';

/** How often the provider's update stream finished a full (re)synchronization. */
const syncCount = (provider: VsphereProvider) => logsOf(provider).filter((l) => l.startsWith('inventory stream synchronized')).length;

const STATE: Record<string, string> = { poweredOn: 'running', poweredOff: 'halted', suspended: 'suspended' };

describe.skipIf(skipVcsim)('vSphere provider — vCenter model (VPX)', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let sim: Vcsim;
  let provider: VsphereProvider;
  let mirror: Mirror;
  let raw: RawSoap;

  beforeAll(async () => {
    peer = await startConnected({ model: 'vpx', datacenters: 2, clusters: 2, hosts: 2, standaloneHosts: 1, pools: 1, vms: 2 });
    ({ sim, provider, mirror, raw } = peer);
  }, BUILD_AND_START_TIMEOUT);

  afterAll(() => peer?.stop());

  it('emits the whole inventory as one reset, with the counts vcsim created', () => {
    expect(mirror.resets).toBe(1);
    expect(sim.counts.vm).toBeGreaterThanOrEqual(12);
    expect(mirror.ofKind('pool')).toHaveLength(sim.counts.datacenter);
    expect(mirror.ofKind('cluster')).toHaveLength(sim.counts.cluster);
    expect(mirror.ofKind('host')).toHaveLength(sim.counts.host);
    expect(mirror.ofKind('vm').length + mirror.ofKind('template').length).toBe(sim.counts.vm);
    for (const dc of mirror.ofKind('pool')) {
      expect(dc.parentId).toBeNull();
      expect(dc.props.standalone).toBeUndefined();
    }
  });

  it('matches what an independent ContainerView query reads: names, power states, placement', async () => {
    const vms = await raw.objects('VirtualMachine', ['name', 'runtime.powerState', 'runtime.host', 'config.uuid']);
    const hosts = await raw.objects('HostSystem', ['name', 'parent']);
    const clusters = await raw.objects('ClusterComputeResource', ['name']);
    const datacenters = await raw.objects('Datacenter', ['name']);

    expect(new Set(mirror.ofKind('vm').map((n) => n.name))).toEqual(new Set(vms.map((v) => text(v.props.name))));
    expect(new Set(mirror.ofKind('host').map((n) => n.name))).toEqual(new Set(hosts.map((h) => text(h.props.name))));
    expect(new Set(mirror.ofKind('cluster').map((n) => n.name))).toEqual(new Set(clusters.map((c) => text(c.props.name))));
    expect(new Set(mirror.ofKind('pool').map((n) => n.name))).toEqual(new Set(datacenters.map((d) => text(d.props.name))));

    for (const vm of vms) {
      const node = mirror.vm(vm.ref.value)!;
      expect(node, vm.ref.value).toBeDefined();
      expect(node.state).toBe(STATE[text(vm.props['runtime.powerState'])]);
      expect(node.parentId).toBe(`${SERVER_ID}:host:${text(vm.props['runtime.host'])}`);
      expect(node.props.uuid).toBe(text(vm.props['config.uuid']));
    }
    const clusterRefs = new Set(clusters.map((c) => c.ref.value));
    for (const host of hosts) {
      const node = mirror.nodes.get(`${SERVER_ID}:host:${host.ref.value}`)!;
      const parent = host.props.parent as Record<string, string>;
      if (clusterRefs.has(parent['#text'])) expect(node.parentId).toBe(`${SERVER_ID}:cluster:${parent['#text']}`);
      else expect(mirror.nodes.get(node.parentId!)?.kind).toBe('pool'); // standalone host: straight under its datacenter
    }
    for (const cluster of mirror.ofKind('cluster')) expect(mirror.nodes.get(cluster.parentId!)?.kind).toBe('pool');
  });

  it('follows a power change made by another session (WaitForUpdatesEx)', async () => {
    const target = mirror.ofKind('vm').find((n) => n.state === 'running')!;
    const ref = { type: 'VirtualMachine', value: target.nativeRef };
    await raw.runTask('PowerOffVM_Task', ref);
    const halted = await mirror.until(() => (mirror.vm(target.nativeRef)?.state === 'halted' ? mirror.vm(target.nativeRef) : null), 'VM halted');
    expect(halted.allowed).toContain('start');
    expect(halted.allowed).not.toContain('force_shutdown');
    await raw.runTask('PowerOnVM_Task', ref);
    await mirror.until(() => mirror.vm(target.nativeRef)?.state === 'running', 'VM running again');
  });

  it('logs in again by itself when its session is terminated by an administrator', async () => {
    const before = mirror.resets;
    const synced = syncCount(provider);
    expect(await raw.terminateOtherSessions()).toBeGreaterThanOrEqual(1);
    const target = mirror.ofKind('vm').find((n) => n.state === 'running')!;
    // the next call meets NotAuthenticated, logs in again and is repeated once
    await provider.runAction({ nativeRef: target.nativeRef, kind: 'vm' }, 'suspend', {}, taskReporter());
    await mirror.until(() => mirror.vm(target.nativeRef)?.state === 'suspended', 'suspended after re-login');
    // the stream follows onto the new session (a new filter and a full resync)
    await waitFor(() => syncCount(provider) > synced, 'resync on the new session', WAIT_MS);
    // the update stream moved to the new session too: a change by someone else still arrives
    await raw.runTask('PowerOnVM_Task', { type: 'VirtualMachine', value: target.nativeRef });
    await mirror.until(() => mirror.vm(target.nativeRef)?.state === 'running', 'resumed by another session');
    expect(mirror.resets).toBe(before); // resynced by diff, not by wiping the tree
    expect(mirror.states.filter((s) => s.state === 'error')).toEqual([]);
  });

  it('logs in again when the stream notices first, and keeps the tree whole', async () => {
    const vmCount = mirror.ofKind('vm').length;
    const synced = syncCount(provider);
    expect(await raw.terminateOtherSessions()).toBeGreaterThanOrEqual(1);
    const target = mirror.ofKind('vm').find((n) => n.state === 'running')!;
    await raw.runTask('PowerOffVM_Task', { type: 'VirtualMachine', value: target.nativeRef });
    // the terminated session's pending poll may still deliver this one; its next poll meets NotAuthenticated
    await mirror.until(() => mirror.vm(target.nativeRef)?.state === 'halted', 'change seen');
    await waitFor(() => syncCount(provider) > synced, 'resync on a new session', WAIT_MS);
    expect((await raw.otherSessions()).length).toBeGreaterThanOrEqual(1);
    await raw.runTask('PowerOnVM_Task', { type: 'VirtualMachine', value: target.nativeRef });
    await mirror.until(() => mirror.vm(target.nativeRef)?.state === 'running', 'change seen on the new session');
    expect(mirror.ofKind('vm')).toHaveLength(vmCount);
  });

  it('rejects a wrong password with AUTH_FAILED and the server’s fault name', async () => {
    const bad = providerFor(sim, { password: 'not-the-password' });
    const err = await bad.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPolyvisorError(err, 'AUTH_FAILED')).toBe(true);
    expect((err as { info: { serverCode?: string } }).info.serverCode).toBe('InvalidLogin');
    await bad.disconnect();
  });

  it('offers no embedded console, and a VMRC link from a clone ticket', async () => {
    const vm = mirror.ofKind('vm')[0];
    await expect(provider.openConsole()).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    const { link } = (await provider.externalConsole({ nativeRef: vm.nativeRef, kind: 'vm' }, 'vmrc')) as { link: string };
    expect(link).toMatch(new RegExp(`^vmrc://clone:[^@]+@127\\.0\\.0\\.1:${sim.port}/\\?moid=${vm.nativeRef}$`));
    expect(provider.capabilities.consoles).toEqual([]);
  });

  it('shows a VM marked as template as a template node, with no actions', async () => {
    const target = mirror.ofKind('vm').find((n) => n.state === 'running')!;
    const ref = { type: 'VirtualMachine', value: target.nativeRef };
    await raw.runTask('PowerOffVM_Task', ref);
    await raw.call('MarkAsTemplate', ref, '');
    // vcsim 0.24 publishes no property update for MarkAsTemplate: a second connection reads it fresh.
    const second = providerFor(sim);
    const fresh = new Mirror(second);
    await second.connect();
    try {
      const template = fresh.nodes.get(`${SERVER_ID}:template:${target.nativeRef}`)!;
      expect(template).toBeDefined();
      expect(fresh.vm(target.nativeRef)).toBeUndefined();
      expect(template.name).toBe(target.name);
      // a template is cloned, turned back into a VM or deleted (issue 14)
      expect(template.allowed).toEqual(['clone', 'to_vm', 'destroy']);
      expect(template.state).toBeUndefined();
      expect(template.parentId).toBe(target.parentId);
      expect(fresh.ofKind('vm').length + fresh.ofKind('template').length).toBe(sim.counts.vm);
    } finally {
      await second.disconnect();
    }
  });
});

describe.skipIf(skipVcsim)('vSphere provider — standalone ESXi model', { timeout: TEST_TIMEOUT }, () => {
  let peer: ConnectedPeer;
  let sim: Vcsim;
  let provider: VsphereProvider;
  let mirror: Mirror;
  let raw: RawSoap;

  beforeAll(async () => {
    peer = await startConnected({ model: 'esx', vms: 3, username: 'root', password: 'ESX pa$$ <&>' });
    ({ sim, provider, mirror, raw } = peer);
  }, BUILD_AND_START_TIMEOUT);

  afterAll(() => peer?.stop());

  it('shows ha-datacenter as a standalone pool named after its host, VMs under the host', async () => {
    const [dc] = mirror.ofKind('pool');
    const [host] = mirror.ofKind('host');
    const hosts = await raw.objects('HostSystem', ['name']);
    expect(mirror.ofKind('pool')).toHaveLength(1);
    expect(dc.nativeRef).toBe('ha-datacenter');
    expect(dc.props.standalone).toBe(true);
    expect(dc.name).toBe(text(hosts[0].props.name));
    expect(host.parentId).toBe(dc.id);
    expect(mirror.ofKind('cluster')).toEqual([]);
    const vms = await raw.objects('VirtualMachine', ['name']);
    expect(vms).toHaveLength(sim.counts.vm);
    expect(new Set(mirror.ofKind('vm').map((v) => v.name))).toEqual(new Set(vms.map((v) => text(v.props.name))));
    for (const vm of mirror.ofKind('vm')) expect(vm.parentId).toBe(host.id);
  });

  it('follows a power change made by another session', async () => {
    const target = mirror.ofKind('vm')[0];
    await raw.runTask('SuspendVM_Task', { type: 'VirtualMachine', value: target.nativeRef });
    const node = await mirror.until(() => (mirror.vm(target.nativeRef)?.state === 'suspended' ? mirror.vm(target.nativeRef) : null), 'suspended');
    expect(node.allowed).toEqual(expect.arrayContaining(['resume', 'force_shutdown', 'snapshot_create']));
    expect(node.allowed).not.toContain('suspend');
  });

  it('sees a VM destroyed by another session disappear', async () => {
    const target = mirror.ofKind('vm').find((n) => n.state === 'running')!;
    const ref = { type: 'VirtualMachine', value: target.nativeRef };
    await raw.runTask('PowerOffVM_Task', ref);
    await raw.runTask('Destroy_Task', ref);
    await mirror.until(() => !mirror.vm(target.nativeRef), 'VM removed');
  });
});

describe.skipIf(skipVcsim)('vSphere provider — idle sessions expire on the server', { timeout: TEST_TIMEOUT }, () => {
  let sim: Vcsim;
  let provider: VsphereProvider;
  let mirror: Mirror;

  beforeAll(async () => {
    sim = await startVcsim({ model: 'esx', vms: 2, sessionIdleTimeoutMs: 1_000 });
    // long polls outlast the idle timeout, so the server expires the session under them
    provider = providerFor(sim, { options: { maxWaitSeconds: 3 } });
    mirror = new Mirror(provider);
    await provider.connect();
  }, BUILD_AND_START_TIMEOUT);

  afterAll(async () => {
    await provider?.disconnect();
    await sim?.stop();
  });

  it('logs in again after expiry and keeps following changes', async () => {
    const synced = syncCount(provider);
    await waitFor(() => syncCount(provider) >= synced + 2, 'two resyncs on new sessions', WAIT_MS);
    const target = mirror.ofKind('vm')[0];
    await provider.runAction({ nativeRef: target.nativeRef, kind: 'vm' }, 'force_shutdown', {}, taskReporter());
    await mirror.until(() => mirror.vm(target.nativeRef)?.state === 'halted', 'halted');
    const raw = new RawSoap(sim);
    await raw.login();
    await raw.runTask('PowerOnVM_Task', { type: 'VirtualMachine', value: target.nativeRef });
    await mirror.until(() => mirror.vm(target.nativeRef)?.state === 'running', 'running, seen after expiries');
    expect(logsOf(provider).some((l) => l.includes('session ended: logging in again'))).toBe(true);
    expect(mirror.resets).toBe(1);
    expect(mirror.states.filter((s) => s.state === 'error')).toEqual([]);
  });
});

describe.skipIf(skipVcsim)('vSphere provider — dropped connections', { timeout: TEST_TIMEOUT }, () => {
  it('goes reconnecting when the server disappears and resyncs when it is back', async () => {
    const first = await startVcsim({ model: 'esx', vms: 2 });
    const provider = providerFor(first, { options: { maxWaitSeconds: 5, reconnectMinMs: 200, reconnectMaxMs: 1_000 } });
    const mirror = new Mirror(provider);
    let second: Vcsim | undefined;
    try {
      await provider.connect();
      expect(mirror.ofKind('vm')).toHaveLength(2);
      await first.stop();
      const dropped = await mirror.until(() => mirror.states.find((s) => s.state === 'reconnecting'), 'reconnecting');
      expect(dropped.error?.code).toBe('CONNECTION_FAILED');
      // the same address comes back as a new server (same certificate): its sessions are new, its inventory differs
      second = await startVcsim({ model: 'esx', vms: 3, port: first.port });
      await mirror.until(() => mirror.states.at(-1)?.state === 'connected', 'connected again');
      await mirror.until(() => mirror.ofKind('vm').length === 3, 'the new inventory');
      expect(mirror.resets).toBe(1);
    } finally {
      await provider.disconnect();
      await second?.stop();
      await first.stop();
    }
  });
});
