// Migration and host operations of the simulator, over the wire: VM.pool_migrate
// moves resident_on and the hosts' memory, each reason comes with xapi's parameters,
// hosts disable/evacuate/reboot/shut down/power on, and a VM moves between two
// simulators with host.migrate_receive + VM.migrate_send.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { expectOk, jsonCall, login, until } from './rpc-client';

type Rec = Record<string, unknown>;
const GiB = 1024 ** 3;

async function waitTask(url: string, session: string, task: string): Promise<Rec> {
  let rec: Rec = {};
  await until(async () => {
    rec = expectOk(await jsonCall(url, 'task.get_record', [session, task])) as Rec;
    return rec.status !== 'pending';
  }, `task ${task}`);
  return rec;
}

describe('migration in the simulator', () => {
  let sim: XapiSimulator;
  let s: string;
  const call = (m: string, ...p: unknown[]) => jsonCall(sim.url, m, [s, ...p]);
  const guests = () => [...sim.db.records('VM')].filter(([, v]) => !v.is_control_domain && !v.is_a_template && !v.is_a_snapshot);
  const hosts = () => [...sim.db.records('host').keys()];
  const running = (host: string) => guests().filter(([, v]) => v.power_state === 'Running' && v.resident_on === host).map(([r]) => r);
  const free = (host: string) => Number(sim.db.get('host_metrics', sim.db.get('host', host)!.metrics as string)!.memory_free);
  const diskSr = (vm: string) => (sim.db.get('VM', vm)!.VBDs as string[]).map((b) => sim.db.get('VBD', b)!).find((b) => b.type === 'Disk')!.VDI as string;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 3, vms: 12, snapshots: 0, localDiskVms: 1, localCdVms: 1 }, tls: false, taskDurationMs: 40 });
    s = await login(sim.url);
  });
  afterAll(() => sim?.stop());

  it('pool_migrate moves the VM and its memory, with events for resident_on', async () => {
    const [a, b] = hosts();
    const vm = running(a!).find((v) => sim.db.get('SR', sim.db.get('VDI', diskSr(v))!.SR as string)!.shared)!;
    const token = (expectOk(await call('event.from', ['vm'], '', 0)) as { token: string }).token;
    const need = Number(sim.db.get('VM', vm)!.memory_static_max);
    const [freeA, freeB] = [free(a!), free(b!)];
    const task = expectOk(await call('Async.VM.pool_migrate', vm, b, { live: 'true' })) as string;
    expect(sim.db.get('VM', vm)!.current_operations).toEqual({ [task]: 'pool_migrate' });
    expect((await waitTask(sim.url, s, task)).status).toBe('success');
    expect(sim.db.get('VM', vm)!.resident_on).toBe(b);
    expect(free(a!)).toBe(freeA + need);
    expect(free(b!)).toBe(freeB - need);
    const events = (expectOk(await call('event.from', ['vm'], token, 0)) as { events: Rec[] }).events;
    expect(events.some((e) => e.ref === vm && (e.snapshot as Rec).resident_on === b)).toBe(true);
  });

  it('counts memory as VMs stop and start; a host that is down is not chosen to start a VM', async () => {
    const [vm] = guests().find(([, v]) => v.power_state === 'Running')!;
    const host = sim.db.get('VM', vm)!.resident_on as string;
    const need = Number(sim.db.get('VM', vm)!.memory_static_max);
    const before = free(host);
    expectOk(await call('VM.hard_shutdown', vm));
    expect(free(host)).toBe(before + need);
    const metricsOf = (h: string) => sim.db.get('host', h)!.metrics as string;
    const down = hosts().filter((h) => h !== host);
    for (const h of down) sim.db.set('host_metrics', metricsOf(h), 'live', false);
    try {
      expectOk(await call('VM.start', vm, false, false));
      expect(sim.db.get('VM', vm)!.resident_on).toBe(host);
      expect(free(host)).toBe(before);
    } finally {
      for (const h of down) sim.db.set('host_metrics', metricsOf(h), 'live', true);
    }
  });

  it('gives the reasons with their parameters (pool_migrate, assert_can_boot_here, assert_can_migrate)', async () => {
    let b = hosts()[1];
    const localVm = guests().find(([r, v]) => v.power_state === 'Running' && !sim.db.get('SR', sim.db.get('VDI', diskSr(r))!.SR as string)!.shared)![0];
    const localSr = sim.db.get('VDI', diskSr(localVm))!.SR as string;
    const other = hosts().find((h) => h !== sim.db.get('VM', localVm)!.resident_on)!;
    expect(await call('VM.pool_migrate', localVm, other, {})).toEqual({ ok: false, description: ['VM_REQUIRES_SR', localVm, localSr] });
    expect(await call('VM.assert_can_boot_here', localVm, other)).toEqual({ ok: false, description: ['VM_REQUIRES_SR', localVm, localSr] });

    const cdVm = guests().find(([r]) => (sim.db.get('VM', r)!.VBDs as string[]).some((b) => sim.db.get('VBD', b)!.type === 'CD'))![0];
    const cdSr = sim.db.get('VDI', (sim.db.get('VM', cdVm)!.VBDs as string[]).map((x) => sim.db.get('VBD', x)!).find((x) => x.type === 'CD')!.VDI as string)!.SR as string;
    const cdOther = hosts().find((h) => h !== sim.db.get('VM', cdVm)!.resident_on)!;
    expect(await call('VM.pool_migrate', cdVm, cdOther, {})).toEqual({ ok: false, description: ['VM_REQUIRES_SR', cdVm, cdSr] });

    const halted = guests().find(([, v]) => v.power_state === 'Halted')![0];
    expect(await call('VM.pool_migrate', halted, b, {})).toEqual({ ok: false, description: ['VM_BAD_POWER_STATE', halted, 'running', 'halted'] });

    const big = guests().find(([r, v]) => v.power_state === 'Running' && r !== localVm && r !== cdVm)![0];
    b = hosts().find((h) => h !== sim.db.get('VM', big)!.resident_on)!;
    sim.db.set('VM', big, 'memory_static_max', 2048 * GiB);
    expect(await call('VM.pool_migrate', big, b, {})).toEqual({ ok: false, description: ['HOST_NOT_ENOUGH_FREE_MEMORY', String(2048 * GiB), String(free(b!))] });
    sim.db.set('VM', big, 'memory_static_max', GiB);

    expectOk(await call('host.disable', b));
    expect(sim.db.get('host', b!)!.enabled).toBe(false);
    expect(await call('VM.pool_migrate', big, b, {})).toEqual({ ok: false, description: ['HOST_DISABLED', b] });
    const dest = expectOk(await call('host.migrate_receive', b, sim.db.records('network').keys().next().value, {})) as Rec;
    expect(await call('VM.assert_can_migrate', big, dest, true, {}, {}, {}, {})).toEqual({ ok: false, description: ['HOST_DISABLED', b] });
    expectOk(await call('host.enable', b));
    expectOk(await call('VM.assert_can_migrate', big, dest, true, {}, {}, {}, {}));
  });

  it('evacuates a host: plan, reasons, CANNOT_EVACUATE_HOST, then reboot, shutdown and power on', async () => {
    const localVm = guests().find(([r, v]) => v.power_state === 'Running' && !sim.db.get('SR', sim.db.get('VDI', diskSr(r))!.SR as string)!.shared)![0];
    const host = sim.db.get('VM', localVm)!.resident_on as string;
    const localSr = sim.db.get('VDI', diskSr(localVm))!.SR as string;
    // a paused guest cannot be live-migrated: the plan names it with pool_migrate's power states
    const paused = guests().filter(([, v]) => v.resident_on === host && v.power_state === 'Paused').map(([r]) => r);
    const reasons = expectOk(await call('host.get_vms_which_prevent_evacuation', host)) as Record<string, string[]>;
    for (const vm of paused) expect(reasons[vm]).toEqual(['VM_BAD_POWER_STATE', vm, 'running', 'paused']);
    for (const vm of paused) expectOk(await call('VM.hard_shutdown', vm));
    const prevent = expectOk(await call('host.get_vms_which_prevent_evacuation', host)) as Record<string, string[]>;
    expect(prevent).toEqual({ [localVm]: ['VM_REQUIRES_SR', localVm, localSr] });
    expect(await call('host.assert_can_evacuate', host)).toEqual({ ok: false, description: ['CANNOT_EVACUATE_HOST', `VM_REQUIRES_SR,${localVm},${localSr}`] });
    expect(await call('host.evacuate', host)).toEqual({ ok: false, description: ['VM_REQUIRES_SR', localVm, localSr] });
    expect(await call('host.reboot', host)).toEqual({ ok: false, description: ['HOST_NOT_DISABLED'] });
    const visitor = guests().find(([r, v]) => v.power_state === 'Running' && v.resident_on !== host && sim.db.get('SR', sim.db.get('VDI', diskSr(r))!.SR as string)!.shared && !(v.VBDs as string[]).some((b) => sim.db.get('VBD', b)!.type === 'CD'))![0];
    expectOk(await call('VM.pool_migrate', visitor, host, {}));

    expectOk(await call('VM.hard_shutdown', localVm));
    expect(expectOk(await call('host.get_vms_which_prevent_evacuation', host))).toEqual({});
    expectOk(await call('host.assert_can_evacuate', host));
    expectOk(await call('host.disable', host));
    expect(sim.db.get('host', host)!.allowed_operations).toEqual(expect.arrayContaining(['reboot', 'shutdown']));
    const still = running(host)[0]!;
    expect(await call('host.shutdown', host)).toEqual({ ok: false, description: ['HOST_IN_USE', host, 'vm', still] });
    const task = expectOk(await call('Async.host.evacuate', host, 'OpaqueRef:NULL', 0)) as string;
    expect((await waitTask(sim.url, s, task)).status).toBe('success');
    expect(running(host)).toEqual([]);

    expect(await call('host.power_on', host)).toEqual({ ok: false, description: ['HOST_IS_LIVE', host] });
    expectOk(await call('host.shutdown', host));
    const metrics = sim.db.get('host', host)!.metrics as string;
    expect(sim.db.get('host_metrics', metrics)!.live).toBe(false);
    expect(sim.db.get('host', host)!.allowed_operations).toEqual(['power_on']);
    expectOk(await call('host.power_on', host));
    expect(sim.db.get('host_metrics', metrics)!.live).toBe(true);
    expect(sim.db.get('host', host)!.enabled).toBe(true);
  });
});

describe('cross-pool migration between two simulators', () => {
  let source: XapiSimulator;
  let dest: XapiSimulator;
  let s1: string;
  let s2: string;

  beforeAll(async () => {
    [source, dest] = await Promise.all([
      startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 2 }, tls: false, taskDurationMs: 40 }),
      startXapiSimulator({ generate: { hosts: 2, vms: 0, snapshots: 0, localStorage: true }, tls: false, taskDurationMs: 40 }),
    ]);
    [s1, s2] = await Promise.all([login(source.url), login(dest.url)]);
  });
  afterAll(async () => {
    await source?.stop();
    await dest?.stop();
  });

  it('moves the VM, its snapshots, disks (to the chosen SR) and VIFs; the source keeps none of them', async () => {
    const vm = [...source.db.records('VM')].find(([, v]) => v.power_state === 'Running' && !v.is_control_domain && (v.snapshots as string[]).length)![0];
    const uuid = source.db.get('VM', vm)!.uuid;
    const vdis = (source.db.get('VM', vm)!.VBDs as string[]).map((b) => source.db.get('VBD', b)!.VDI as string);
    const vifs = source.db.get('VM', vm)!.VIFs as string[];
    const host = [...dest.db.records('host').keys()][1]!;
    const localSr = [...dest.db.records('SR')].find(([, r]) => r.type === 'lvm' && (r.PBDs as string[]).some((p) => dest.db.get('PBD', p)!.host === host))![0];
    const network = dest.db.records('network').keys().next().value as string;
    const map = expectOk(await jsonCall(dest.url, 'host.migrate_receive', [s2, host, network, {}])) as Rec;
    expect(Object.keys(map).sort()).toEqual(['SM', 'host', 'master', 'session_id', 'xenops']);
    const vdiMap = Object.fromEntries(vdis.map((v) => [v, localSr]));
    const vifMap = Object.fromEntries(vifs.map((v) => [v, network]));
    expectOk(await jsonCall(source.url, 'VM.assert_can_migrate', [s1, vm, map, true, vdiMap, vifMap, {}, {}]));
    const task = expectOk(await jsonCall(source.url, 'Async.VM.migrate_send', [s1, vm, map, true, vdiMap, vifMap, {}, {}])) as string;
    const done = await waitTask(source.url, s1, task);
    expect(done.error_info).toEqual([]);
    expect(done.status).toBe('success');

    expect(source.db.get('VM', vm)).toBeUndefined();
    for (const v of vdis) expect(source.db.get('VDI', v)).toBeUndefined();
    for (const v of vifs) expect(source.db.get('VIF', v)).toBeUndefined();
    const moved = dest.db.byUuid('VM', uuid as string)!;
    const record = dest.db.get('VM', moved)!;
    expect(done.result).toContain(moved);
    expect(record.resident_on).toBe(host);
    expect(record.power_state).toBe('Running');
    const disks = (record.VBDs as string[]).map((b) => dest.db.get('VBD', b)!).filter((b) => b.type === 'Disk');
    expect(disks.length).toBe(vdis.length);
    for (const d of disks) expect(dest.db.get('VDI', d.VDI as string)!.SR).toBe(localSr);
    expect((record.VIFs as string[]).map((v) => dest.db.get('VIF', v)!.network)).toEqual(vifs.map(() => network));
    expect((record.snapshots as string[]).length).toBeGreaterThan(0);
  });

  it('refuses with the destination reasons: disabled host, not enough memory', async () => {
    const vm = [...source.db.records('VM')].find(([, v]) => v.power_state === 'Running' && !v.is_control_domain)![0];
    const host = [...dest.db.records('host').keys()][0]!;
    const network = dest.db.records('network').keys().next().value as string;
    const map = expectOk(await jsonCall(dest.url, 'host.migrate_receive', [s2, host, network, {}])) as Rec;
    const vifMap = Object.fromEntries((source.db.get('VM', vm)!.VIFs as string[]).map((v) => [v, network]));
    expectOk(await jsonCall(dest.url, 'host.disable', [s2, host]));
    expect(await jsonCall(source.url, 'VM.assert_can_migrate', [s1, vm, map, true, {}, vifMap, {}, {}])).toEqual({ ok: false, description: ['HOST_DISABLED', host] });
    expectOk(await jsonCall(dest.url, 'host.enable', [s2, host]));
    source.db.set('VM', vm, 'memory_static_max', 4096 * GiB);
    const available = String(expectOk(await jsonCall(dest.url, 'host.compute_free_memory', [s2, host])));
    expect(await jsonCall(source.url, 'VM.assert_can_migrate', [s1, vm, map, true, {}, vifMap, {}, {}])).toEqual({
      ok: false,
      description: ['HOST_NOT_ENOUGH_FREE_MEMORY', String(4096 * GiB), available],
    });
  });
});
