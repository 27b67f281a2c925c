// vSphere migration and Maintenance Mode through the core, as the renderer and the CLI
// ask for them: migration:plan and hosts:evacuationPlan in inventory ids, actions:run
// migrate with targetId = a host node, maintenance_enter as one parent task with one
// child task per VM (TaskInfo.parentId). The result is read back from vcsim with the
// independent SOAP client.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { vsphereProviderFactory } from '../../../electron/core/providers/vsphere';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { startVcsim, type Vcsim } from '../../peers/vcsim';
import { BUILD_AND_START_TIMEOUT, TEST_TIMEOUT, WAIT_MS, skipVcsim, waitFor } from './harness';
import { rawHost, rawHosts, rawRelocate, rawVms, type RawHost } from './placement';
import { RawSoap } from './raw-soap';

describe.skipIf(skipVcsim)('vSphere migration through the core', { timeout: TEST_TIMEOUT }, () => {
  let sim: Vcsim;
  let raw: RawSoap;
  let home: string;
  let core: PolyvisorCore;
  let serverId: string;
  let cluster: RawHost[];

  const tree = () => core.invoke('inventory:get');
  const node = async (id: string) => (await tree()).find((n) => n.id === id);
  const hostNodeId = (ref: string) => `${serverId}:host:${ref}`;
  const finished = (taskId: string) =>
    waitFor(async () => (await core.invoke('tasks:list')).find((t) => t.id === taskId && t.status !== 'running'), `task ${taskId} to end`, WAIT_MS);

  beforeAll(async () => {
    sim = await startVcsim({ model: 'vpx', datacenters: 1, clusters: 1, hosts: 3, standaloneHosts: 0, vms: 3 });
    raw = new RawSoap(sim);
    await raw.login();
    cluster = (await rawHosts(raw)).filter((h) => h.parent.type === 'ClusterComputeResource');
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-vsphere-move-'));
    core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [vsphereProviderFactory], inventoryBatchMs: 10 });
    const added = await core.invoke('servers:add', { type: 'vsphere', host: sim.host, port: sim.port, username: sim.username, password: sim.password });
    serverId = added.id;
    const first = await core.invoke('servers:connect', serverId);
    const view = first.state === 'connected' ? first : await core.invoke('certs:accept', serverId, first.error!.certificate!.fingerprint256);
    expect(view.state).toBe('connected');
  }, BUILD_AND_START_TIMEOUT);

  afterAll(async () => {
    await core?.stop();
    await sim?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('plans in inventory ids and migrates a running VM to the host node it is given', async () => {
    const vm = (await rawVms(raw)).find((v) => v.powerState === 'poweredOn')!;
    const target = cluster.find((h) => h.ref !== vm.host)!;
    const vmNode = (await waitFor(() => node(`${serverId}:vm:${vm.ref}`), 'the VM in the tree', WAIT_MS)) as InventoryNode;
    expect(vmNode.allowed).toContain('migrate');

    const plan = await core.invoke('migration:plan', [vmNode.id]);
    expect(plan.vms[0].targets.map((t) => [t.hostId, t.ok]).sort()).toEqual(
      cluster.filter((h) => h.ref !== vm.host).map((h) => [hostNodeId(h.ref), true]).sort(),
    );

    const [task] = await core.invoke('actions:run', { nodeIds: [vmNode.id], action: 'migrate', params: { targetId: hostNodeId(target.ref) } });
    expect(await finished(task!.id)).toMatchObject({ status: 'success', progress: 1 });
    expect((await rawVms(raw)).find((v) => v.ref === vm.ref)!.host).toBe(target.ref);
    await waitFor(async () => (await node(vmNode.id))?.parentId === hostNodeId(target.ref), 'the VM under its new host', WAIT_MS);
  });

  it('enters Maintenance Mode as one task with a child task per running VM, and exits it', async () => {
    const [host] = cluster;
    for (const vm of (await rawVms(raw)).filter((v) => v.host !== host.ref && v.powerState === 'poweredOn')) await rawRelocate(raw, vm.ref, host.ref);
    const running = (await rawVms(raw)).filter((v) => v.host === host.ref && v.powerState === 'poweredOn');
    expect(running.length).toBeGreaterThanOrEqual(2);
    await waitFor(async () => {
      const nodes = await tree();
      return running.every((v) => nodes.find((n) => n.nativeRef === v.ref)?.parentId === hostNodeId(host.ref));
    }, 'the VMs on the host in the tree', WAIT_MS);

    const evacuation = await core.invoke('hosts:evacuationPlan', hostNodeId(host.ref));
    expect(evacuation.canEvacuate).toBe(true);
    expect(evacuation.steps.map((s) => s.vmId).sort()).toEqual(running.map((v) => `${serverId}:vm:${v.ref}`).sort());

    const [parent] = await core.invoke('actions:run', { nodeIds: [hostNodeId(host.ref)], action: 'maintenance_enter', params: {} });
    expect(await finished(parent!.id)).toMatchObject({ status: 'success' });
    const children: TaskInfo[] = (await core.invoke('tasks:list')).filter((t) => t.parentId === parent!.id);
    expect(children.map((c) => [c.targetId, c.action, c.status]).sort()).toEqual(running.map((v) => [`${serverId}:vm:${v.ref}`, 'migrate', 'success']).sort());

    expect((await rawHost(raw, host.ref)).inMaintenance).toBe(true);
    expect((await rawVms(raw)).filter((v) => v.host === host.ref && v.powerState === 'poweredOn')).toEqual([]);
    const inMaintenance = await waitFor(async () => {
      const n = await node(hostNodeId(host.ref));
      return n?.maintenance === true && n;
    }, 'the host in maintenance in the tree', WAIT_MS);
    expect(inMaintenance.allowed).toContain('maintenance_exit');

    const [exit] = await core.invoke('actions:run', { nodeIds: [hostNodeId(host.ref)], action: 'maintenance_exit', params: {} });
    expect(await finished(exit!.id)).toMatchObject({ status: 'success' });
    expect((await rawHost(raw, host.ref)).inMaintenance).toBe(false);
    await waitFor(async () => (await node(hostNodeId(host.ref)))?.maintenance === false, 'the host out of maintenance', WAIT_MS);
  });
});
