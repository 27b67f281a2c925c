// Migration through the whole core, as the renderer and the CLI ask for it: two XAPI
// simulators as two servers of one core; migration:plan names the other host of the
// pool and the other pool's host (cross-server, with its SRs); actions:run migrate
// moves a VM within the pool and to the other pool; maintenance_enter is one parent
// task with a child task per VM. Every result is read back from the simulators.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import { xenServerProviderFactory } from '../../../electron/core/providers/xenserver';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { waitFor } from '../provider-mirror';

const OPTIONS = { eventTimeoutS: 5, taskPollMs: 50, reconnectMinMs: 100, reconnectMaxMs: 500 };

const until = <T>(what: string, probe: () => Promise<T | undefined | false>) => waitFor(probe, what, 30_000);

describe('XenServer migration through the core', () => {
  let simA: XapiSimulator;
  let simB: XapiSimulator;
  let home: string;
  let core: PolyvisorCore;
  const ids: Record<'a' | 'b', string> = { a: '', b: '' };

  const tree = () => core.invoke('inventory:get');
  const node = async (serverId: string, ref: string) => (await tree()).find((n) => n.serverId === serverId && n.nativeRef === ref);
  const finished = (id: string) => until(`task ${id}`, async () => (await core.invoke('tasks:list')).find((t) => t.id === id && t.status !== 'running'));
  const sharedRunning = () =>
    [...simA.db.records('VM')].find(([, v]) => {
      if (v.power_state !== 'Running' || v.is_control_domain) return false;
      const disk = (v.VBDs as string[]).map((b) => simA.db.get('VBD', b)!).find((b) => b.type === 'Disk')!;
      return simA.db.get('SR', simA.db.get('VDI', disk.VDI as string)!.SR as string)!.shared;
    })![0];

  beforeAll(async () => {
    [simA, simB] = await Promise.all([
      startXapiSimulator({ generate: { hosts: 2, vms: 8, snapshots: 0, localDiskVms: 1 }, taskDurationMs: 150 }),
      startXapiSimulator({ generate: { hosts: 1, vms: 0, snapshots: 0, localStorage: true }, taskDurationMs: 150 }),
    ]);
    home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-xapi-migration-'));
    core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers: [xenServerProviderFactory], inventoryBatchMs: 10 });
    for (const [key, sim] of [['a', simA], ['b', simB]] as const) {
      const server = await core.invoke('servers:add', { type: 'xenserver', name: `pool ${key}`, host: sim.host, port: sim.port, username: 'root', options: OPTIONS });
      expect((await core.invoke('servers:connect', server.id, 'password')).error?.code).toBe('CERT_UNTRUSTED');
      expect((await core.invoke('certs:accept', server.id, sim.fingerprint256)).state).toBe('connected');
      ids[key] = server.id;
    }
  });
  afterAll(async () => {
    await core?.stop();
    await Promise.all([simA?.stop(), simB?.stop()]);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('plans the other host of the pool and the other pool\'s host with its SRs', async () => {
    const vmRef = sharedRunning();
    const vm = await until('the VM with migrate', async () => {
      const n = await node(ids.a, vmRef);
      return n?.allowed.includes('migrate') && n;
    });
    const plan = await core.invoke('migration:plan', [vm.id]);
    const [entry] = plan.vms;
    const otherHost = [...simA.db.records('host').keys()].find((h) => h !== simA.db.get('VM', vmRef)!.resident_on)!;
    const hostB = simB.db.records('host').keys().next().value as string;
    expect(entry!.targets.find((t) => t.hostId === `${ids.a}:host:${otherHost}`)).toMatchObject({ ok: true });
    const across = entry!.targets.find((t) => t.hostId === `${ids.b}:host:${hostB}`)!;
    expect(across).toMatchObject({ ok: true, crossServer: true });
    const srsOfB = [...simB.db.records('SR')].filter(([, r]) => r.content_type !== 'iso').map(([ref]) => ref).sort();
    expect(across.storages!.map((s) => s.id).sort()).toEqual(srsOfB);
    expect(across.storages!.find((s) => s.isDefault)!.id).toBe(simB.db.records('pool').values().next().value!.default_SR);
  });

  it('migrates within the pool with actions:run', async () => {
    const vmRef = sharedRunning();
    const vm = (await node(ids.a, vmRef))!;
    const to = [...simA.db.records('host').keys()].find((h) => h !== simA.db.get('VM', vmRef)!.resident_on)!;
    const [task] = await core.invoke('actions:run', { nodeIds: [vm.id], action: 'migrate', params: { targetId: `${ids.a}:host:${to}` } });
    expect((await finished(task!.id)).status).toBe('success');
    expect(simA.db.get('VM', vmRef)!.resident_on).toBe(to);
    await until('the VM under its new host', async () => (await node(ids.a, vmRef))?.parentId === `${ids.a}:host:${to}`);
  });

  it('enters maintenance mode as one task with a child task per VM, then exits', async () => {
    const hostRef = [...simA.db.records('host').keys()].find((h) =>
      (simA.db.get('host', h)!.resident_VMs as string[]).every((vm) => {
        const r = simA.db.get('VM', vm)!;
        const disk = (r.VBDs as string[]).map((b) => simA.db.get('VBD', b)!).find((b) => b.type === 'Disk');
        return r.is_control_domain || r.power_state !== 'Running' || simA.db.get('SR', simA.db.get('VDI', disk!.VDI as string)!.SR as string)!.shared;
      }),
    )!;
    const moving = (simA.db.get('host', hostRef)!.resident_VMs as string[]).filter((vm) => simA.db.get('VM', vm)!.power_state === 'Running' && !simA.db.get('VM', vm)!.is_control_domain);
    expect(moving.length).toBeGreaterThan(0);
    const hostId = `${ids.a}:host:${hostRef}`;
    const evacuation = await core.invoke('hosts:evacuationPlan', hostId);
    expect(evacuation.canEvacuate).toBe(true);
    expect(evacuation.steps.map((s) => s.vmId).sort()).toEqual(moving.map((vm) => `${ids.a}:vm:${vm}`).sort());
    const [task] = await core.invoke('actions:run', { nodeIds: [hostId], action: 'maintenance_enter' });
    expect((await finished(task!.id)).status).toBe('success');
    const children: TaskInfo[] = (await core.invoke('tasks:list')).filter((t) => t.parentId === task!.id);
    expect(children.map((c) => c.targetId).sort()).toEqual(moving.map((vm) => `${ids.a}:vm:${vm}`).sort());
    expect(children.every((c) => c.action === 'migrate' && c.status === 'success')).toBe(true);
    expect(simA.db.get('host', hostRef)!.enabled).toBe(false);
    const inMaintenance: InventoryNode = await until('the host in maintenance', async () => {
      const n = await node(ids.a, hostRef);
      return n?.maintenance && n;
    });
    expect(inMaintenance.allowed).toContain('maintenance_exit');
    const [exit] = await core.invoke('actions:run', { nodeIds: [hostId], action: 'maintenance_exit' });
    expect((await finished(exit!.id)).status).toBe('success');
    expect(simA.db.get('host', hostRef)!.enabled).toBe(true);
  });

  it('moves a VM to the other pool with actions:run migrate and a chosen SR', async () => {
    const vmRef = sharedRunning();
    const uuid = simA.db.get('VM', vmRef)!.uuid as string;
    const hostB = simB.db.records('host').keys().next().value as string;
    const local = [...simB.db.records('SR')].find(([, r]) => r.type === 'lvm')![0];
    const vm = (await node(ids.a, vmRef))!;
    const [task] = await core.invoke('actions:run', { nodeIds: [vm.id], action: 'migrate', params: { targetId: `${ids.b}:host:${hostB}`, storageId: local } });
    expect((await finished(task!.id)).status).toBe('success');
    const moved = simB.db.byUuid('VM', uuid)!;
    expect(simB.db.get('VM', moved)!.resident_on).toBe(hostB);
    expect(simA.db.get('VM', vmRef)).toBeUndefined();
    await until('the VM in pool b', async () => (await node(ids.b, moved))?.parentId === `${ids.b}:host:${hostB}`);
  });
});
