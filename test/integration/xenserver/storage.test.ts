// Storage in the tree (issue 16) against the XAPI simulator: the SRs of a real pool
// database (state1.xml) placed and hidden as XenCenter's tree does, sizes and hosts as
// the simulator's own SR and PBD records have them, an SR's VDIs with the VMs whose
// VBDs use them, SR.scan recounting the SR, and the tree following events (an SR marked
// HideFromXenCenter leaves, an unplugged PBD drops its host).

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { XAPI_DB_DIR } from '../../shared-dir';
import { Harness, reporter } from './harness';

const parentName = (h: Harness, node: InventoryNode) => (node.parentId ? h.nodes.get(node.parentId)?.name : undefined);

describe('XenServer storage from state1.xml, as XenCenter shows it', () => {
  let sim: XapiSimulator;
  let harness: Harness;

  beforeAll(async () => {
    sim = await startXapiSimulator({ db: path.join(XAPI_DB_DIR, 'state1.xml') });
    harness = new Harness(sim);
    await harness.provider.connect();
    await harness.until(() => harness.ofKind('storage').length > 0, 30_000, 'storage nodes');
  }, 60_000);

  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('puts local SRs under their host, shared ones under the pool, and hides the tools SR', () => {
    const pool = harness.ofKind('pool')[0]!;
    expect(pool.name).toBe('Hottub');
    const placed = harness
      .ofKind('storage')
      .map((n) => [n.name, parentName(harness, n), harness.nodes.get(n.parentId!)?.kind])
      .sort((a, b) => `${a[0]}|${a[1]}`.localeCompare(`${b[0]}|${b[1]}`));
    expect(placed).toEqual([
      ['Alex ISO Store', 'Hottub', 'pool'],
      ['DVD drives', 'incubus', 'host'],
      ['DVD drives', 'inflames', 'host'],
      ['iSCSI virtual disk storage', 'Hottub', 'pool'],
      ['Local storage', 'incubus', 'host'],
      ['Local storage', 'inflames', 'host'],
      ['NetApp virtual disk storage', 'Hottub', 'pool'],
      ['NFS ISO library', 'Hottub', 'pool'],
      ['Removable storage', 'incubus', 'host'],
      ['Removable storage', 'inflames', 'host'],
    ]);
  });

  it('carries type, shared, sizes and attached hosts as the simulator’s SR and PBD records have them', () => {
    const hostName = (ref: string) => String(sim.db.get('host', ref)!.name_label);
    for (const node of harness.ofKind('storage')) {
      const sr = sim.db.get('SR', node.nativeRef)!;
      const size = Number(sr.physical_size);
      const used = Number(sr.physical_utilisation);
      expect(node.storage).toMatchObject({ type: sr.type, shared: sr.shared, size, used, free: size - used });
      expect(!!node.storage?.removable, node.name).toBe(sr.type === 'udev');
      const attached = [...sim.db.records('PBD').values()].filter((p) => p.SR === node.nativeRef && p.currently_attached === true).map((p) => hostName(String(p.host)));
      expect(node.storage!.hostIds.map((id) => harness.nodes.get(id)!.name).sort()).toEqual(attached.sort());
    }
    const netapp = harness.ofKind('storage').find((n) => n.name === 'NetApp virtual disk storage')!;
    expect(netapp.storage).toMatchObject({ type: 'netapp', shared: true, size: 365730119680, used: 343097360384 });
  });
});

describe('XenServer storage: disks, rescan, live changes', () => {
  let sim: XapiSimulator;
  let harness: Harness;
  let sharedSr: string;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 2, localStorage: true } });
    harness = new Harness(sim);
    await harness.provider.connect();
    sharedSr = [...sim.db.records('SR')].find(([, r]) => r.shared === true && r.content_type !== 'iso')![0];
    await harness.until(() => harness.byRef(sharedSr), 30_000, 'the shared SR');
  }, 60_000);

  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('lists an SR’s VDIs with size, snapshot flag and the VMs whose VBDs use them, as the simulator has them', async () => {
    const disks = await harness.provider.storage!.contents(sharedSr);
    const vdis = [...sim.db.records('VDI')].filter(([, v]) => v.SR === sharedSr);
    expect(disks.map((d) => d.ref).sort()).toEqual(vdis.map(([ref]) => ref).sort());
    for (const [ref, vdi] of vdis) {
      const disk = disks.find((d) => d.ref === ref)!;
      expect(disk).toMatchObject({ name: vdi.name_label, size: Number(vdi.virtual_size), snapshot: vdi.is_a_snapshot === true });
      const users = [...sim.db.records('VBD').values()]
        .filter((b) => b.VDI === ref && !sim.db.get('VM', String(b.VM))!.is_control_domain)
        .map((b) => String(sim.db.get('VM', String(b.VM))!.name_label));
      expect(disk.usedBy.map((u) => u.name).sort()).toEqual([...new Set(users)].sort());
      for (const u of disk.usedBy) expect(harness.nodes.has(u.id)).toBe(true);
    }
    expect(disks.some((d) => d.snapshot)).toBe(true);
    expect(disks.some((d) => !d.snapshot && d.usedBy.length > 0)).toBe(true);
  });

  it('SR.scan recounts the SR from its VDIs, and the tree follows', async () => {
    sim.db.update('SR', sharedSr, { physical_utilisation: 1 });
    await harness.until(() => harness.byRef(sharedSr)?.storage?.used === 1, 15_000, 'the stale count');
    const task = reporter();
    await harness.provider.storage!.rescan!(sharedSr, task);
    const counted = [...sim.db.records('VDI').values()].filter((v) => v.SR === sharedSr).reduce((sum, v) => sum + (Number(v.physical_utilisation) || Number(v.virtual_size)), 0);
    expect(counted).toBeGreaterThan(1);
    expect(Number(sim.db.get('SR', sharedSr)!.physical_utilisation)).toBe(counted);
    await harness.until(() => harness.byRef(sharedSr)?.storage?.used === counted, 15_000, 'the recounted SR');
  });

  it('an SR no host has plugged cannot be scanned: the server’s SR_HAS_NO_PBDS', async () => {
    const pbds = [...sim.db.records('PBD')].filter(([, p]) => p.SR === sharedSr);
    for (const [ref] of pbds) sim.db.update('PBD', ref, { currently_attached: false });
    await harness.until(() => harness.byRef(sharedSr)?.storage?.hostIds.length === 0, 15_000, 'no attached host');
    await expect(harness.provider.storage!.rescan!(sharedSr, reporter())).rejects.toMatchObject({ info: { serverCode: 'SR_HAS_NO_PBDS' } });
    for (const [ref] of pbds) sim.db.update('PBD', ref, { currently_attached: true });
    await harness.until(() => harness.byRef(sharedSr)?.storage?.hostIds.length === pbds.length, 15_000, 'hosts attached again');
  });

  it('an SR marked HideFromXenCenter leaves the tree, and comes back unmarked', async () => {
    const local = harness.ofKind('storage').find((n) => harness.nodes.get(n.parentId!)?.kind === 'host')!;
    expect(local.storage!.shared).toBe(false);
    sim.db.update('SR', local.nativeRef, { other_config: { HideFromXenCenter: 'true' } });
    await harness.until(() => !harness.nodes.has(local.id), 15_000, 'the hidden SR gone');
    sim.db.update('SR', local.nativeRef, { other_config: {} });
    await harness.until(() => harness.nodes.get(local.id)?.parentId === local.parentId, 15_000, 'the SR back under its host');
  });
});

describe('XenServer: moving a VM’s disk to another SR', () => {
  let sim: XapiSimulator;
  let harness: Harness;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 0, localStorage: true }, taskDurationMs: 100 });
    harness = new Harness(sim);
    await harness.provider.connect();
  }, 60_000);

  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  const guests = (state: string) => [...sim.db.records('VM')].filter(([, v]) => !v.is_a_template && !v.is_a_snapshot && !v.is_control_domain && v.power_state === state);
  const diskOf = (vmRef: string) => {
    const vbd = [...sim.db.records('VBD')].find(([, b]) => b.VM === vmRef && b.type === 'Disk')!;
    return { vbdRef: vbd[0], vbd: vbd[1], vdiRef: String(vbd[1].VDI), vdi: sim.db.get('VDI', String(vbd[1].VDI))! };
  };
  const localSrOf = (hostRef: string) =>
    [...sim.db.records('SR')].find(([ref, sr]) => sr.shared !== true && sr.content_type !== 'iso' && [...sim.db.records('PBD').values()].some((p) => p.SR === ref && p.host === hostRef))![0];

  it('moves a running VM’s disk live (VDI.pool_migrate): its VBD points at a disk of the same size on the new SR', async () => {
    const [vmRef, vm] = guests('Running')[0]!;
    const before = diskOf(vmRef);
    const target = localSrOf(String(vm.resident_on));
    expect(before.vdi.SR).not.toBe(target);
    const task = reporter();
    await harness.provider.storage!.moveDisk!({ nativeRef: vmRef, kind: 'vm' }, before.vdiRef, target, task);
    const after = diskOf(vmRef);
    expect(after.vbdRef).toBe(before.vbdRef);
    expect(after.vdi.SR).toBe(target);
    expect(after.vdi.virtual_size).toBe(before.vdi.virtual_size);
    expect(sim.db.get('VDI', before.vdiRef)).toBeUndefined();
    expect(task.progressValues.at(-1)).toBe(1);
  });

  it('moves a halted VM’s disk by copy: a new VBD at the same position on the copy, the old disk destroyed', async () => {
    const [vmRef] = guests('Halted')[0]!;
    const before = diskOf(vmRef);
    const target = [...sim.db.records('SR')].find(([ref, sr]) => ref !== before.vdi.SR && sr.content_type !== 'iso' && (sr.allowed_operations as string[]).includes('vdi_create'))![0];
    await harness.provider.storage!.moveDisk!({ nativeRef: vmRef, kind: 'vm' }, before.vdiRef, target, reporter());
    const after = diskOf(vmRef);
    expect(after.vdi.SR).toBe(target);
    expect(after.vdiRef).not.toBe(before.vdiRef);
    expect(after.vbd).toMatchObject({ userdevice: before.vbd.userdevice, bootable: before.vbd.bootable, mode: before.vbd.mode });
    expect(after.vdi.virtual_size).toBe(before.vdi.virtual_size);
    expect(sim.db.get('VDI', before.vdiRef)).toBeUndefined();
    // the properties the app reads show the disk on the new SR
    const props = await harness.provider.guests!.properties({ nativeRef: vmRef, kind: 'vm' });
    expect(props.disks.find((d) => d.id === after.vdiRef)?.storageName).toBe(sim.db.get('SR', target)!.name_label);
  });

  it('refuses a move to the SR the disk is on, naming the field', async () => {
    const [vmRef] = guests('Halted')[0]!;
    const { vdiRef, vdi } = diskOf(vmRef);
    await expect(harness.provider.storage!.moveDisk!({ nativeRef: vmRef, kind: 'vm' }, vdiRef, String(vdi.SR), reporter())).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'storageId' } });
  });
});
