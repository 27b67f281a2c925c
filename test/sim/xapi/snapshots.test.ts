// VM.snapshot / checkpoint / revert / destroy and VDI.destroy make the record
// changes xapi makes (Xapi_vm_clone, Xapi_vm_snapshot), checked over the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { expectOk, jsonCall, login } from './rpc-client';

type Rec = Record<string, unknown>;
let sim: XapiSimulator;
let session: string;
let vm: string;

const get = async (cls: string, ref: string) => expectOk(await jsonCall(sim.url, `${cls}.get_record`, [session, ref])) as Rec;
const call = async (method: string, ...args: unknown[]) => expectOk(await jsonCall(sim.url, method, [session, ...args]));
const diskVdis = async (vmRef: string) => {
  const out: string[] = [];
  for (const vbd of (await get('VM', vmRef)).VBDs as string[]) {
    const r = await get('VBD', vbd);
    if (r.type === 'Disk') out.push(r.VDI as string);
  }
  return out;
};

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 1, vms: 3, snapshots: 0 }, tls: false, taskDurationMs: 40 });
  session = await login(sim.url);
  vm = [...sim.db.records('VM')].find(([, r]) => !r.is_a_template && !r.is_control_domain && r.power_state === 'Running')![0];
});
afterAll(() => sim?.stop());

describe('snapshots', () => {
  let snap1: string;
  let snap2: string;
  let checkpoint: string;

  it('VM.snapshot makes a halted template copy with its own snapshot VDIs', async () => {
    const [disk] = await diskVdis(vm);
    snap1 = (await call('VM.snapshot', vm, 'before upgrade')) as string;
    const s = await get('VM', snap1);
    expect(s).toMatchObject({
      name_label: 'before upgrade',
      is_a_snapshot: true,
      is_a_template: true,
      snapshot_of: vm,
      power_state: 'Halted',
      parent: 'OpaqueRef:NULL',
      resident_on: 'OpaqueRef:NULL',
      snapshot_info: { 'power-state-at-snapshot': 'Running', 'disk-snapshot-type': 'crash_consistent' },
    });
    expect(s.snapshot_time).toMatch(/^\d{8}T/);
    expect(s.allowed_operations).toContain('revert');
    const v = await get('VM', vm);
    expect(v.parent).toBe(snap1);
    expect(v.snapshots).toEqual([snap1]);
    expect(v.power_state).toBe('Running');
    const [snapDisk] = await diskVdis(snap1);
    expect(snapDisk).not.toBe(disk);
    expect(await get('VDI', snapDisk)).toMatchObject({ is_a_snapshot: true, snapshot_of: disk });
    expect((await get('VDI', disk)).snapshots).toEqual([snapDisk]);
  });

  it('a second snapshot chains under the first (parent/children)', async () => {
    snap2 = (await call('VM.snapshot', vm, 'after upgrade', [])) as string;
    expect((await get('VM', snap2)).parent).toBe(snap1);
    expect((await get('VM', snap1)).children).toEqual([snap2]);
    expect((await get('VM', vm)).parent).toBe(snap2);
  });

  it('VM.checkpoint keeps the memory: a suspended snapshot with a suspend VDI', async () => {
    checkpoint = (await call('VM.checkpoint', vm, 'with memory')) as string;
    const c = await get('VM', checkpoint);
    expect(c).toMatchObject({ power_state: 'Suspended', is_a_snapshot: true, parent: snap2 });
    expect((await get('VDI', c.suspend_VDI as string)).type).toBe('suspend');
    expect((await get('VM', vm)).power_state).toBe('Running');
  });

  it('refuses to snapshot a snapshot and to checkpoint a halted VM', async () => {
    expect((await jsonCall(sim.url, 'VM.snapshot', [session, snap1, 'x'])).ok).toBe(false);
    const halted = [...sim.db.records('VM')].find(([, r]) => !r.is_a_template && !r.is_control_domain && r.power_state === 'Halted');
    const target = halted?.[0] ?? [...sim.db.records('VM')].find(([r, rec]) => r !== vm && !rec.is_a_template && !rec.is_control_domain)![0];
    if ((await get('VM', target)).power_state !== 'Halted') await call('VM.hard_shutdown', target);
    expect(await jsonCall(sim.url, 'VM.checkpoint', [session, target, 'x'])).toEqual({
      ok: false,
      description: ['VM_BAD_POWER_STATE', target, 'running, suspended', 'halted'],
    });
    expect((await jsonCall(sim.url, 'VM.start', [session, snap1, false, false])) as unknown).toEqual({
      ok: false,
      description: ['VM_IS_TEMPLATE', snap1, 'start'],
    });
  });

  it('reverting to a checkpoint leaves the VM suspended with fresh disks', async () => {
    const before = await diskVdis(vm);
    await call('VM.revert', checkpoint);
    const v = await get('VM', vm);
    expect(v.power_state).toBe('Suspended');
    expect(v.parent).toBe(checkpoint);
    expect(v.suspend_VDI).not.toBe('OpaqueRef:NULL');
    const after = await diskVdis(vm);
    expect(after).toHaveLength(before.length);
    expect(after[0]).not.toBe(before[0]);
    expect((await jsonCall(sim.url, 'VDI.get_record', [session, before[0]])).ok).toBe(false); // old disk destroyed
  });

  it('reverting to a disk snapshot leaves the VM halted', async () => {
    await call('VM.revert', snap1);
    const v = await get('VM', vm);
    expect(v).toMatchObject({ power_state: 'Halted', parent: snap1, suspend_VDI: 'OpaqueRef:NULL' });
    expect(v.allowed_operations).toContain('start');
  });

  it('deletes a snapshot like XenCenter: VM.destroy, then VDI.destroy of its disks', async () => {
    const disks = await diskVdis(snap2);
    await call('VM.destroy', snap2);
    expect((await jsonCall(sim.url, 'VM.get_record', [session, snap2])).ok).toBe(false);
    // its child (the checkpoint) now hangs from snap2's parent
    expect((await get('VM', checkpoint)).parent).toBe(snap1);
    expect((await get('VM', vm)).snapshots).not.toContain(snap2);
    for (const d of disks) {
      expect((await get('VDI', d)).VBDs).toEqual([]);
      await call('VDI.destroy', d);
      expect(await jsonCall(sim.url, 'VDI.get_record', [session, d])).toEqual({ ok: false, description: ['HANDLE_INVALID', 'VDI', d] });
    }
  });

  it('refuses to destroy a VDI in use by a running VM', async () => {
    await call('VM.start', vm, false, false);
    const [disk] = await diskVdis(vm);
    expect(await jsonCall(sim.url, 'VDI.destroy', [session, disk])).toEqual({ ok: false, description: ['VDI_IN_USE', disk, 'destroy'] });
  });

  it('VM.clone of a checkpoint is a halted template with its own disks; VM.provision makes it a VM (XenCenter\'s New VM from snapshot)', async () => {
    const snapDisks = await diskVdis(checkpoint);
    const task = expectOk(await jsonCall(sim.url, 'Async.VM.clone', [session, checkpoint, 'from checkpoint'])) as string;
    let t = await get('task', task);
    for (let i = 0; t.status === 'pending' && i < 750; i++) t = await new Promise<Rec>((r) => setTimeout(() => void get('task', task).then(r), 20));
    expect(t.status).toBe('success');
    const copy = String(t.result).replace(/<[^>]+>/g, '');
    const c = await get('VM', copy);
    expect(c).toMatchObject({
      name_label: 'from checkpoint',
      is_a_template: true,
      is_a_snapshot: false,
      snapshot_of: 'OpaqueRef:NULL',
      parent: 'OpaqueRef:NULL',
      power_state: 'Halted',
      suspend_VDI: 'OpaqueRef:NULL',
    });
    expect((c.other_config as Rec).mac_seed).toBeTruthy();
    const disks = await diskVdis(copy);
    expect(disks).toHaveLength(snapDisks.length);
    for (const d of disks) {
      expect(snapDisks).not.toContain(d);
      expect(await get('VDI', d)).toMatchObject({ is_a_snapshot: false, snapshot_of: 'OpaqueRef:NULL' });
    }
    await call('VM.provision', copy);
    const vmNow = await get('VM', copy);
    expect(vmNow).toMatchObject({ is_a_template: false, power_state: 'Halted' });
    expect(vmNow.allowed_operations).toContain('start');
  });

  it('VM.clone refuses a running VM; VM.snapshot_with_quiesce is gone (MESSAGE_REMOVED)', async () => {
    expect(((await jsonCall(sim.url, 'VM.clone', [session, vm, 'x'])) as { description: string[] }).description[0]).toBe('VM_BAD_POWER_STATE');
    expect(await jsonCall(sim.url, 'VM.snapshot_with_quiesce', [session, vm, 'x'])).toEqual({ ok: false, description: ['MESSAGE_REMOVED'] });
  });
});

describe('generated pools', () => {
  it('distribute snapshots as chains with branches, consistent both ways', async () => {
    const g = await startXapiSimulator({ generate: { hosts: 3, vms: 10, snapshots: 35 }, tls: false });
    try {
      const vms = [...g.db.records('VM').entries()];
      const snaps = vms.filter(([, r]) => r.is_a_snapshot);
      expect(snaps).toHaveLength(35);
      expect(g.db.records('host').size).toBe(3);
      expect(vms.filter(([, r]) => r.is_control_domain)).toHaveLength(3);
      const real = vms.filter(([, r]) => !r.is_a_template && !r.is_control_domain);
      expect(real).toHaveLength(10);
      expect(new Set(real.map(([, r]) => r.power_state)).size).toBeGreaterThan(1);
      for (const [ref, s] of snaps) {
        const parent = s.parent as string;
        if (parent !== 'OpaqueRef:NULL') expect(g.db.get('VM', parent)!.children).toContain(ref);
        expect(g.db.get('VM', s.snapshot_of as string)!.snapshots).toContain(ref);
        for (const vbd of s.VBDs as string[]) expect(g.db.get('VDI', g.db.get('VBD', vbd)!.VDI as string)!.is_a_snapshot).toBe(true);
      }
      // nesting: some snapshot has a snapshot parent; branching: some snapshot has two children
      expect(snaps.some(([, s]) => s.parent !== 'OpaqueRef:NULL')).toBe(true);
      expect(snaps.some(([, s]) => (s.children as string[]).length > 1)).toBe(true);
      for (const [, r] of real) if (r.power_state === 'Running') expect((r.consoles as string[]).length).toBeGreaterThan(0);
    } finally {
      await g.stop();
    }
  });
});
