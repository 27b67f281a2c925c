// The VMSS class over the wire, against what Xapi_vmss / Map_check / Xapi_vm do:
// constructor defaults and checks, the schedule keys each frequency takes,
// set_frequency filling in and dropping keys, the add/remove_from_schedule pair,
// destroy refused while VMs are assigned, and VM.set_snapshot_schedule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { expectOk, jsonCall, login, xmlCall } from './rpc-client';

type Rec = Record<string, unknown>;
let sim: XapiSimulator;
let session: string;
let vm: string;
let template: string;

const call = (method: string, ...args: unknown[]) => jsonCall(sim.url, method, [session, ...args]);
const ok = async (method: string, ...args: unknown[]) => expectOk(await call(method, ...args));
const fails = async (method: string, ...args: unknown[]) => {
  const r = await call(method, ...args);
  if (r.ok) throw new Error(`${method} succeeded`);
  return r.description;
};
const stored = (ref: string) => sim.db.get('VMSS', ref) as Rec;
const create = (args: Rec) => ok('VMSS.create', { name_label: 'p', type: 'snapshot', frequency: 'daily', ...args }) as Promise<string>;

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 0 }, tls: false, taskDurationMs: 20 });
  session = await login(sim.url);
  const records = [...sim.db.records('VM')];
  vm = records.find(([, r]) => !r.is_a_template && !r.is_control_domain)![0];
  template = records.find(([, r]) => r.is_a_template && !r.is_a_snapshot)![0];
});
afterAll(() => sim?.stop());

describe('VMSS.create', () => {
  it('takes the data model defaults and keeps only the keys of the frequency, values in xapi case', async () => {
    const ref = await ok('VMSS.create', { type: 'checkpoint', frequency: 'weekly', schedule: { days: 'monday,FRIDAY', hour: '7' } });
    expect(stored(ref as string)).toMatchObject({
      name_label: '',
      enabled: true,
      retained_snapshots: 7,
      type: 'checkpoint',
      frequency: 'weekly',
      schedule: { days: 'Monday,Friday', hour: '7', min: '0' },
      last_run_time: '19700101T00:00:00Z',
      VMs: [],
    });
  });

  it('answers INVALID_VALUE for a key the frequency does not take, and for values out of range', async () => {
    expect(await fails('VMSS.create', { type: 'snapshot', frequency: 'hourly', schedule: { min: '15', hour: '3' } })).toEqual(['INVALID_VALUE', 'schedule:hour', '3']);
    expect(await fails('VMSS.create', { type: 'snapshot', frequency: 'hourly', schedule: { min: '10' } })).toEqual(['INVALID_VALUE', 'schedule:min', '10']);
    expect(await fails('VMSS.create', { type: 'snapshot', frequency: 'daily', schedule: { hour: '24' } })).toEqual(['INVALID_VALUE', 'schedule:hour', '24']);
    expect(await fails('VMSS.create', { type: 'snapshot', frequency: 'weekly', schedule: { days: 'Monday,Funday' } })).toEqual(['INVALID_VALUE', 'schedule:days', 'Funday']);
    expect(await fails('VMSS.create', { type: 'snapshot', frequency: 'weekly', schedule: { days: 'Monday,monday' } })).toEqual([
      'INVALID_VALUE',
      'schedule:days',
      'Monday,monday',
    ]);
  });

  it('keeps retained_snapshots between 1 and 10', async () => {
    expect(await fails('VMSS.create', { type: 'snapshot', frequency: 'daily', retained_snapshots: 11 })).toEqual(['INVALID_VALUE', 'retained_snapshots', '11']);
    expect(await fails('VMSS.create', { type: 'snapshot', frequency: 'daily', retained_snapshots: 0 })).toEqual(['INVALID_VALUE', 'retained_snapshots', '0']);
    const ref = await create({ retained_snapshots: 10 });
    expect(stored(ref).retained_snapshots).toBe(10);
    expect(await fails('VMSS.set_retained_snapshots', ref, 11)).toEqual(['INVALID_VALUE', 'retained_snapshots', '11']);
    expect(stored(ref).retained_snapshots).toBe(10);
  });

  it('needs type and frequency, from their enums', async () => {
    expect(await fails('VMSS.create', { frequency: 'daily' })).toEqual(['FIELD_TYPE_ERROR', 'type']);
    expect(await fails('VMSS.create', { type: 'snapshot', frequency: 'monthly' })).toEqual(['FIELD_TYPE_ERROR', 'frequency']);
  });

  it('refuses quiesced schedules where the licence has no VSS (current releases)', async () => {
    expect(await fails('VMSS.create', { type: 'snapshot_with_quiesce', frequency: 'daily' })).toEqual(['LICENCE_RESTRICTION', 'VSS']);
    const ref = await create({});
    expect(await fails('VMSS.set_type', ref, 'snapshot_with_quiesce')).toEqual(['LICENCE_RESTRICTION', 'VSS']);
    expect(stored(ref).type).toBe('snapshot');
  });

  it('speaks XML-RPC too (ints as strings)', async () => {
    const r = await xmlCall(sim.url, 'VMSS.create', [session, { name_label: 'x', type: 'snapshot', frequency: 'hourly', retained_snapshots: '3', schedule: { min: '45' } }]);
    expect(stored(expectOk(r) as string)).toMatchObject({ retained_snapshots: 3, schedule: { min: '45' } });
  });
});

describe('VMSS schedule and frequency', () => {
  it('set_frequency fills in the new keys and drops the old ones', async () => {
    const ref = await create({ frequency: 'weekly', schedule: { days: 'Tuesday', hour: '5', min: '30' } });
    await ok('VMSS.set_frequency', ref, 'hourly');
    expect(stored(ref)).toMatchObject({ frequency: 'hourly', schedule: { min: '30' } });
    await ok('VMSS.set_frequency', ref, 'weekly');
    expect(stored(ref).schedule).toEqual({ min: '30', hour: '0', days: 'Monday' });
  });

  it('set_schedule merges with what is stored and checks every key', async () => {
    const ref = await create({ schedule: { hour: '5', min: '15' } });
    await ok('VMSS.set_schedule', ref, { min: '45' });
    expect(stored(ref).schedule).toEqual({ hour: '5', min: '45' });
    expect(await fails('VMSS.set_schedule', ref, { min: '50' })).toEqual(['INVALID_VALUE', 'schedule:min', '50']);
    expect(await fails('VMSS.set_schedule', ref, { minute: '15' })).toEqual(['INVALID_VALUE', 'schedule:minute', '15']);
    expect(stored(ref).schedule).toEqual({ hour: '5', min: '45' });
  });

  it('remove_from_schedule then a refused add_to_schedule keeps the old value (xe param-set)', async () => {
    const ref = await create({ schedule: { hour: '5', min: '15' } });
    await ok('VMSS.remove_from_schedule', ref, 'hour');
    expect(stored(ref).schedule).toEqual({ min: '15' });
    expect(await fails('VMSS.add_to_schedule', ref, 'hour', '99')).toEqual(['INVALID_VALUE', 'schedule:hour', '99']);
    expect(stored(ref).schedule).toEqual({ min: '15', hour: '5' });
    expect((await fails('VMSS.add_to_schedule', ref, 'hour', '6'))[0]).toBe('MAP_DUPLICATE_KEY');
    await ok('VMSS.remove_from_schedule', ref, 'hour');
    await ok('VMSS.add_to_schedule', ref, 'hour', '6');
    expect(stored(ref).schedule).toEqual({ min: '15', hour: '6' });
  });

  it('the implicit setters and getters work on the record', async () => {
    const ref = await create({});
    await ok('VMSS.set_name_label', ref, 'nightly');
    await ok('VMSS.set_enabled', ref, false);
    await ok('VMSS.set_last_run_time', ref, '20260101T01:02:03Z');
    expect(await ok('VMSS.get_name_label', ref)).toBe('nightly');
    expect(await ok('VMSS.get_enabled', ref)).toBe(false);
    expect(await ok('VMSS.get_by_name_label', 'nightly')).toEqual([ref]);
    expect(stored(ref).last_run_time).toBe('20260101T01:02:03Z');
  });
});

describe('VM.set_snapshot_schedule and VMSS.destroy', () => {
  it('assigns and unassigns a VM, the schedule listing its VMs', async () => {
    const ref = await create({});
    await ok('VM.set_snapshot_schedule', vm, ref);
    expect(sim.db.get('VM', vm)!.snapshot_schedule).toBe(ref);
    expect(stored(ref).VMs).toEqual([vm]);
    expect(await ok('VMSS.get_VMs', ref)).toEqual([vm]);
    expect(await fails('VMSS.destroy', ref)).toEqual(['VMSS_HAS_VM']);
    await ok('VM.set_snapshot_schedule', vm, 'OpaqueRef:NULL');
    expect(stored(ref).VMs).toEqual([]);
    await ok('VMSS.destroy', ref);
    expect(sim.db.get('VMSS', ref)).toBeUndefined();
  });

  it('moves a VM from one schedule to another', async () => {
    const a = await create({});
    const b = await create({});
    await ok('VM.set_snapshot_schedule', vm, a);
    await ok('VM.set_snapshot_schedule', vm, b);
    expect([stored(a).VMs, stored(b).VMs]).toEqual([[], [vm]]);
    await ok('VM.set_snapshot_schedule', vm, 'OpaqueRef:NULL');
  });

  it('refuses a dangling schedule, a template and a control domain', async () => {
    const ref = await create({});
    expect(await fails('VM.set_snapshot_schedule', vm, 'OpaqueRef:gone')).toEqual(['INVALID_VALUE', 'OpaqueRef:gone']);
    expect(await fails('VM.set_snapshot_schedule', template, ref)).toEqual(['VM_IS_TEMPLATE', template]);
    const dom0 = [...sim.db.records('VM')].find(([, r]) => r.is_control_domain)![0];
    expect(await fails('VM.set_snapshot_schedule', dom0, ref)).toEqual(['INVALID_VALUE', ref]);
  });

  it('answers LICENCE_RESTRICTION on every call where the licence has no VMSS', async () => {
    const pool = [...sim.db.records('pool').keys()][0]!;
    const before = sim.db.get('pool', pool)!.restrictions;
    sim.db.set('pool', pool, 'restrictions', { restrict_vmss: 'true' });
    try {
      expect(await fails('VMSS.create', { type: 'snapshot', frequency: 'daily' })).toEqual(['LICENCE_RESTRICTION', 'VMSS']);
    } finally {
      sim.db.set('pool', pool, 'restrictions', before);
    }
  });
});
