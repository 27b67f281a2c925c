// Snapshot schedules running on the simulator's clock: every due time in a moved
// window runs, in the master's zone; the snapshots are the schedule's
// (is_vmss_snapshot) and retention deletes only those, oldest first, with their
// disks; a failing VM is noted in a message and the others go on.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { expectOk, jsonCall, login } from './rpc-client';

type Rec = Record<string, unknown>;
const HOUR = 3_600_000;
let sim: XapiSimulator;
let session: string;
let running: string[];
let halted: string;

const ok = async (method: string, ...args: unknown[]) => expectOk(await jsonCall(sim.url, method, [session, ...args]));
const snapshotsOf = (vm: string): Array<Rec & { ref: string }> => (sim.db.get('VM', vm)!.snapshots as string[]).map((ref) => ({ ...(sim.db.get('VM', ref) as Rec), ref }));
const scheduleSnapshots = (vm: string) => snapshotsOf(vm).filter((s) => s.is_vmss_snapshot === true);
const diskVdis = (vm: string) =>
  (sim.db.get('VM', vm)!.VBDs as string[]).map((vbd) => sim.db.get('VBD', vbd)!).filter((r) => r.type === 'Disk').map((r) => r.VDI as string);

async function schedule(args: Rec, members: string[]): Promise<string> {
  const ref = (await ok('VMSS.create', { name_label: 'test', type: 'snapshot', ...args })) as string;
  for (const vm of members) await ok('VM.set_snapshot_schedule', vm, ref);
  return ref;
}

async function clearSchedules(): Promise<void> {
  for (const [ref, rec] of [...sim.db.records('VMSS')]) {
    for (const vm of rec.VMs as string[]) await ok('VM.set_snapshot_schedule', vm, 'OpaqueRef:NULL');
    await ok('VMSS.destroy', ref);
  }
}

describe.each(['UTC', 'Asia/Shanghai'])('schedules with the master in %s', (timeZone) => {
  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 1, vms: 6, snapshots: 0 }, tls: false, taskDurationMs: 20, timeZone });
    session = await login(sim.url);
    const vms = [...sim.db.records('VM')].filter(([, r]) => !r.is_a_template && !r.is_control_domain);
    running = vms.filter(([, r]) => r.power_state === 'Running').map(([ref]) => ref);
    halted = vms.find(([, r]) => r.power_state === 'Halted')![0];
    expect(running.length).toBeGreaterThanOrEqual(2);
  });
  afterAll(() => sim?.stop());
  beforeEach(clearSchedules);

  it('an hourly schedule keeping 2, the clock moved 3 hours: exactly 2 schedule snapshots per VM, user snapshots untouched', async () => {
    const [a, b] = running as [string, string];
    const userSnapshot = (await ok('VM.snapshot', a, 'mine')) as string;
    const ref = await schedule({ frequency: 'hourly', retained_snapshots: 2, schedule: { min: '0' } }, [a, b]);
    const start = sim.clock.now().getTime();
    sim.clock.advance(3 * HOUR);
    for (const vm of [a, b]) {
      const own = scheduleSnapshots(vm);
      expect(own).toHaveLength(2);
      for (const s of own) {
        expect(s).toMatchObject({ is_a_snapshot: true, snapshot_of: vm, power_state: 'Halted', snapshot_schedule: 'OpaqueRef:NULL' });
        const vmName = String(sim.db.get('VM', vm)!.name_label);
        expect(String(s.name_label).startsWith(`${vmName}-`)).toBe(true);
        expect(String(s.name_label).slice(vmName.length)).toMatch(/^-\d{8}-\d{2}00$/);
      }
      // the two newest of the three runs, taken on the hour
      const times = own.map((s) => Date.parse(String(s.snapshot_time).replace(/^(\d{4})(\d\d)(\d\d)T/, '$1-$2-$3T'))).sort();
      expect(times[1]! - times[0]!).toBe(HOUR);
      expect(times[1]!).toBeGreaterThan(start + HOUR);
    }
    expect(sim.db.get('VM', userSnapshot)).toMatchObject({ is_vmss_snapshot: false, name_label: 'mine' });
    expect(sim.db.get('VMSS', ref)!.last_run_time).not.toBe('19700101T00:00:00Z');
    const messages = [...sim.db.records('message').values()].filter((m) => m.obj_uuid === sim.db.get('VMSS', ref)!.uuid);
    expect(messages.map((m) => m.name)).toEqual(['VMSS_SNAPSHOT_SUCCEEDED', 'VMSS_SNAPSHOT_SUCCEEDED', 'VMSS_SNAPSHOT_SUCCEEDED']);
  });

  it('retention deletes the pruned snapshots with their own disks, never the VM\'s', async () => {
    const [vm] = running as [string];
    for (const s of scheduleSnapshots(vm)) await ok('VM.destroy', s.ref);
    await schedule({ frequency: 'hourly', retained_snapshots: 1, schedule: { min: '30' } }, [vm]);
    sim.clock.advance(HOUR);
    const [first] = scheduleSnapshots(vm);
    const firstDisks = diskVdis(first!.ref);
    expect(firstDisks.length).toBeGreaterThan(0);
    sim.clock.advance(HOUR);
    expect(scheduleSnapshots(vm).map((s) => s.ref)).not.toContain(first!.ref);
    expect(sim.db.get('VM', first!.ref)).toBeUndefined();
    for (const vdi of firstDisks) expect(sim.db.get('VDI', vdi)).toBeUndefined();
    for (const vdi of diskVdis(vm)) expect(sim.db.get('VDI', vdi)).toBeDefined();
  });

  it('runs a daily schedule at its hour in the master\'s zone, reported by host.get_server_localtime', async () => {
    const [vm] = running as [string];
    const master = [...sim.db.records('host').keys()][0]!;
    const local = String(await ok('host.get_server_localtime', master));
    const utc = String(await ok('host.get_servertime', master));
    expect(local).toMatch(/^\d{8}T\d\d:\d\d:\d\d$/);
    const offsetH = Math.round((Date.parse(`${local.slice(0, 4)}-${local.slice(4, 6)}-${local.slice(6, 8)}T${local.slice(9)}Z`) - Date.parse(`${utc.slice(0, 4)}-${utc.slice(4, 6)}-${utc.slice(6, 8)}T${utc.slice(9)}`)) / HOUR);
    expect(offsetH + 0).toBe(timeZone === 'UTC' ? 0 : 8);
    const before = scheduleSnapshots(vm).length;
    await schedule({ frequency: 'daily', schedule: { hour: '2', min: '0' } }, [vm]);
    sim.clock.advance(24 * HOUR);
    const taken = scheduleSnapshots(vm).slice(before);
    expect(taken).toHaveLength(1);
    // 02:00 local: 02:00 UTC, or 18:00 UTC the day before in Shanghai
    expect(String(taken[0]!.snapshot_time).slice(9, 14)).toBe(timeZone === 'UTC' ? '02:00' : '18:00');
  });

  it('a weekly schedule runs on its days only; a disabled one not at all', async () => {
    const [a, b] = running as [string, string];
    const before = [scheduleSnapshots(a).length, scheduleSnapshots(b).length];
    await schedule({ frequency: 'weekly', retained_snapshots: 10, schedule: { days: 'Monday,Thursday', hour: '12', min: '15' } }, [a]);
    const off = await schedule({ frequency: 'hourly', schedule: { min: '15' } }, [b]);
    await ok('VMSS.set_enabled', off, false);
    sim.clock.advance(7 * 24 * HOUR);
    expect(scheduleSnapshots(a).length - before[0]!).toBe(2);
    expect(scheduleSnapshots(b).length - before[1]!).toBe(0);
  });

  it('snapshot_now runs at once; a VM that cannot be snapshotted is named in a VMSS_SNAPSHOT_FAILED message', async () => {
    const [vm] = running as [string];
    const ref = await schedule({ type: 'checkpoint', frequency: 'daily' }, [vm, halted]);
    const before = scheduleSnapshots(vm).length;
    await ok('VMSS.snapshot_now', ref);
    const taken = scheduleSnapshots(vm).slice(before);
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatchObject({ power_state: 'Suspended', is_vmss_snapshot: true });
    expect(scheduleSnapshots(halted)).toHaveLength(0);
    const failed = [...sim.db.records('message').values()].find((m) => m.obj_uuid === sim.db.get('VMSS', ref)!.uuid)!;
    expect(failed).toMatchObject({ name: 'VMSS_SNAPSHOT_FAILED', cls: 'VMSS', priority: 3 });
    expect(String(failed.body)).toMatch(new RegExp(`^VM:.*UUID:${String(sim.db.get('VM', halted)!.uuid)}Error:\\['VM_BAD_POWER_STATE'`));
    // destroying the schedule takes its messages with it
    for (const member of [vm, halted]) await ok('VM.set_snapshot_schedule', member, 'OpaqueRef:NULL');
    await ok('VMSS.destroy', ref);
    expect([...sim.db.records('message').values()].some((m) => m.obj_uuid === failed.obj_uuid)).toBe(false);
  });
});
