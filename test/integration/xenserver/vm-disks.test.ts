// A VM's disks (issue 16) against the XAPI simulator: a new disk (VDI.create + VBD.create,
// plugged into a running VM), a free VDI attached, a disk grown (VDI.resize halted,
// VDI.resize_online running where the SR's driver can, the server's refusals otherwise),
// and a detach keeping or deleting the VDI — each read back from the simulator's records.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, reporter } from './harness';

const GiB = 1024 ** 3;

describe('XenServer: a VM’s disks added, attached, grown and detached', () => {
  let sim: XapiSimulator;
  let harness: Harness;
  let sharedSr: string;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 0, localStorage: true }, taskDurationMs: 50 });
    harness = new Harness(sim);
    await harness.provider.connect();
    sharedSr = [...sim.db.records('SR')].find(([, r]) => r.shared === true && r.content_type !== 'iso')![0];
  }, 60_000);

  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  const disks = () => harness.provider.storage!.disks!;
  const guest = (state: string) => [...sim.db.records('VM')].find(([, v]) => !v.is_a_template && !v.is_a_snapshot && !v.is_control_domain && v.power_state === state)!;
  const vbdsOf = (vm: string) => [...sim.db.records('VBD')].filter(([, b]) => b.VM === vm && b.type === 'Disk');
  const vbdOn = (vm: string, vdi: string) => vbdsOf(vm).find(([, b]) => b.VDI === vdi);

  it('adds a new disk to a halted VM: a VDI of that size on the SR and an unplugged VBD at the next position', async () => {
    const [vm] = guest('Halted');
    const before = vbdsOf(vm).map(([, b]) => String(b.userdevice));
    const freeBefore = Number(sim.db.get('SR', sharedSr)!.physical_size) - Number(sim.db.get('SR', sharedSr)!.physical_utilisation);
    const task = reporter();
    await disks().add({ nativeRef: vm, kind: 'vm' }, { storageRef: sharedSr, sizeBytes: 3 * GiB, name: 'data disk' }, task);
    const added = vbdsOf(vm).find(([, b]) => !before.includes(String(b.userdevice)))!;
    expect(added).toBeDefined();
    const vdi = sim.db.get('VDI', String(added[1].VDI))!;
    expect(vdi).toMatchObject({ name_label: 'data disk', SR: sharedSr, virtual_size: 3 * GiB, type: 'user' });
    expect(added[1]).toMatchObject({ currently_attached: false, mode: 'RW', type: 'Disk' });
    expect(Number(sim.db.get('SR', sharedSr)!.physical_size) - Number(sim.db.get('SR', sharedSr)!.physical_utilisation)).toBe(freeBefore - 3 * GiB);
    expect(task.progressValues.at(-1)).toBe(1);
    // the VM's settings, as the app reads them, list it
    const props = await harness.provider.guests!.properties({ nativeRef: vm, kind: 'vm' });
    expect(props.disks.find((d) => d.id === added[1].VDI)).toMatchObject({ name: 'data disk', sizeBytes: 3 * GiB });
  });

  it('adds a disk to a running VM and plugs it (VBD.plug)', async () => {
    const [vm] = guest('Running');
    await disks().add({ nativeRef: vm, kind: 'vm' }, { storageRef: sharedSr, sizeBytes: GiB, name: 'hot disk' }, reporter());
    const vdi = [...sim.db.records('VDI')].find(([, v]) => v.name_label === 'hot disk')![0];
    expect(vbdOn(vm, vdi)![1].currently_attached).toBe(true);
  });

  it('the server’s SR_FULL when the SR has no room, and nothing made', async () => {
    const [vm] = guest('Halted');
    const count = sim.db.records('VDI').size;
    const sr = sim.db.get('SR', sharedSr)!;
    const tooBig = Number(sr.physical_size) - Number(sr.physical_utilisation) + GiB;
    await expect(disks().add({ nativeRef: vm, kind: 'vm' }, { storageRef: sharedSr, sizeBytes: tooBig, name: 'huge' }, reporter())).rejects.toMatchObject({ info: { serverCode: 'SR_FULL' } });
    expect(sim.db.records('VDI').size).toBe(count);
  });

  it('detaches a running VM’s disk keeping the VDI; it is then free to attach, and attaches to another VM', async () => {
    const [vm] = guest('Running');
    const vdi = [...sim.db.records('VDI')].find(([, v]) => v.name_label === 'hot disk')![0];
    await disks().detach({ nativeRef: vm, kind: 'vm' }, vdi, false, reporter());
    expect(vbdOn(vm, vdi)).toBeUndefined();
    expect(sim.db.get('VDI', vdi)).toMatchObject({ name_label: 'hot disk', VBDs: [] });
    const free = await disks().attachable({ nativeRef: vm, kind: 'vm' });
    expect(free.find((d) => d.id === vdi)).toMatchObject({ name: 'hot disk', sizeBytes: GiB, storageName: sim.db.get('SR', sharedSr)!.name_label });
    // what the simulator holds as free: user VDIs without VBDs, no snapshots, none on an ISO library
    const expected = [...sim.db.records('VDI')].filter(([, v]) => (v.VBDs as string[]).length === 0 && v.type === 'user' && v.is_a_snapshot !== true && sim.db.get('SR', String(v.SR))!.content_type !== 'iso').map(([ref]) => ref);
    expect(free.map((d) => d.id).sort()).toEqual(expected.sort());
    const [other] = guest('Halted');
    await disks().attach({ nativeRef: other, kind: 'vm' }, vdi, reporter());
    expect(vbdOn(other, vdi)![1]).toMatchObject({ currently_attached: false, mode: 'RW' });
  });

  it('grows a halted VM’s disk (VDI.resize) and passes on the SR backend’s refusal to shrink', async () => {
    const [vm] = guest('Halted');
    const vdi = String(vbdsOf(vm)[0]![1].VDI);
    const size = Number(sim.db.get('VDI', vdi)!.virtual_size);
    await disks().resize({ nativeRef: vm, kind: 'vm' }, vdi, size + 2 * GiB, reporter());
    expect(Number(sim.db.get('VDI', vdi)!.virtual_size)).toBe(size + 2 * GiB);
    await expect(disks().resize({ nativeRef: vm, kind: 'vm' }, vdi, size, reporter())).rejects.toMatchObject({ info: { serverCode: 'SR_BACKEND_FAILURE_79' } });
    expect(Number(sim.db.get('VDI', vdi)!.virtual_size)).toBe(size + 2 * GiB);
  });

  it('a running VM’s disk grows with VDI.resize_online only where the SR’s driver says VDI_RESIZE_ONLINE', async () => {
    const [vm] = guest('Running');
    const [, vbd] = vbdsOf(vm).find(([, b]) => b.currently_attached === true)!;
    const vdi = String(vbd.VDI);
    const sr = String(sim.db.get('VDI', vdi)!.SR);
    const size = Number(sim.db.get('VDI', vdi)!.virtual_size);
    await expect(disks().resize({ nativeRef: vm, kind: 'vm' }, vdi, size + GiB, reporter())).rejects.toMatchObject({ info: { serverCode: 'SR_OPERATION_NOT_SUPPORTED' } });
    expect(Number(sim.db.get('VDI', vdi)!.virtual_size)).toBe(size);
    const sm = sim.db.add('SM', { type: sim.db.get('SR', sr)!.type, name_label: 'online resizer', features: { VDI_RESIZE: '1', VDI_RESIZE_ONLINE: '1' }, capabilities: [] });
    try {
      await disks().resize({ nativeRef: vm, kind: 'vm' }, vdi, size + GiB, reporter());
      expect(Number(sim.db.get('VDI', vdi)!.virtual_size)).toBe(size + GiB);
    } finally {
      sim.db.remove('SM', sm);
    }
  });

  it('detaches a disk and deletes it: the VBD and the VDI gone, the SR’s space back', async () => {
    const [vm] = guest('Halted');
    await disks().add({ nativeRef: vm, kind: 'vm' }, { storageRef: sharedSr, sizeBytes: 2 * GiB, name: 'scratch' }, reporter());
    const vdi = [...sim.db.records('VDI')].find(([, v]) => v.name_label === 'scratch')![0];
    const used = Number(sim.db.get('SR', sharedSr)!.physical_utilisation);
    await disks().detach({ nativeRef: vm, kind: 'vm' }, vdi, true, reporter());
    expect(vbdOn(vm, vdi)).toBeUndefined();
    expect(sim.db.get('VDI', vdi)).toBeUndefined();
    expect(Number(sim.db.get('SR', sharedSr)!.physical_utilisation)).toBe(used - 2 * GiB);
  });

  it('refuses a disk that is not the VM’s, naming the field', async () => {
    const [vm] = guest('Halted');
    const [other] = guest('Running');
    const foreign = String(vbdsOf(other)[0]![1].VDI);
    await expect(disks().detach({ nativeRef: vm, kind: 'vm' }, foreign, false, reporter())).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field: 'diskId' } });
    expect(vbdOn(other, foreign)).toBeDefined();
  });
});
