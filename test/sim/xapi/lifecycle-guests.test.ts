// Making, changing and removing VMs in the simulator with xapi's rules (issue 14):
// VM.provision from a template's "disks" XML, VM.clone (copy-on-write) vs VM.copy
// (full, to an SR), VDI/VBD/VIF creation, CD insert/eject, memory limits and the
// dynamic range with MEMORY_CONSTRAINT_VIOLATION, vCPUs, template conversion and
// VM.destroy leaving the disks. Every call goes over JSON-RPC or XML-RPC; the
// effect is read from the simulator's store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { GENERATED_ISOS } from './generate';
import { expectOk, jsonCall, login, xmlCall, type RpcResult } from './rpc-client';

const GiB = 1024 ** 3;
const ORDER = 'Memory limits must satisfy: static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max';
type Rec = Record<string, unknown>;

describe.each(['json', 'xml'] as const)('guest lifecycle over %s', (wire) => {
  let sim: XapiSimulator;
  let session: string;
  const raw = (method: string, ...params: unknown[]): Promise<RpcResult> =>
    wire === 'json' ? jsonCall(sim.url, method, [session, ...params]) : xmlCall(sim.url, method, [session, ...params]);
  const call = async (method: string, ...params: unknown[]) => expectOk(await raw(method, ...params));
  const rec = (cls: string, ref: string) => sim.db.get(cls, ref)!;
  const template = (name: string) => [...sim.db.records('VM')].find(([, r]) => r.name_label === name && r.is_a_template)![0];
  const sharedSr = () => [...sim.db.records('SR')].find(([, r]) => r.type === 'nfs')![0];
  const disksOf = (vm: string) => (rec('VM', vm).VBDs as string[]).map((b) => rec('VBD', b)).filter((b) => b.type === 'Disk');
  const vmIn = (power: string) => [...sim.db.records('VM')].find(([, r]) => r.power_state === power && !r.is_a_template && !r.is_control_domain)![0];
  // XML-RPC carries ints as strings
  const int = (n: number) => (wire === 'xml' ? String(n) : n);

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 8, snapshots: 0, isoLibrary: true }, tls: false, taskDurationMs: 30 });
    session = await login(sim.url);
  });
  afterAll(() => sim?.stop());

  /** a clone of a built-in template whose disks XML names the shared SR (as clients rewrite it) */
  async function cloneForProvision(name: string, size?: number): Promise<string> {
    const vm = (await call('VM.clone', template('Debian Bookworm 12'), name)) as string;
    const xml = String((rec('VM', vm).other_config as Rec).disks);
    let rewritten = xml.replace('sr=""', `sr="${rec('SR', sharedSr()).uuid}"`);
    if (size !== undefined) rewritten = rewritten.replace(/size="\d+"/, `size="${size}"`);
    await call('VM.remove_from_other_config', vm, 'disks');
    await call('VM.add_to_other_config', vm, 'disks', rewritten);
    return vm;
  }

  it('VM.provision makes the disks the template describes and removes the key', async () => {
    const vm = await cloneForProvision(`provisioned ${wire}`);
    expect(rec('VM', vm).is_a_template).toBe(true);
    await call('VM.provision', vm);
    const r = rec('VM', vm);
    expect(r.is_a_template).toBe(false);
    expect((r.other_config as Rec).disks).toBeUndefined();
    const [vbd] = disksOf(vm);
    expect(vbd).toMatchObject({ userdevice: '0', bootable: true, mode: 'RW', empty: false, currently_attached: false });
    const vdi = rec('VDI', vbd!.VDI as string);
    expect(vdi).toMatchObject({ SR: sharedSr(), virtual_size: 10 * GiB, type: 'system', name_label: '0', name_description: 'Created by template provisioner' });
  });

  it('VM.provision of disks XML naming no SR (sr="") is UUID_INVALID ["sr", ""] and makes no disk', async () => {
    const vm = (await call('VM.clone', template('Rocky Linux 9'), `unrewritten ${wire}`)) as string;
    expect(await raw('VM.provision', vm)).toEqual({ ok: false, description: ['UUID_INVALID', 'sr', ''] });
    expect(disksOf(vm)).toEqual([]);
  });

  it('VM.provision on an SR without room is SR_FULL [requested, available] and undoes nothing half-made', async () => {
    const free = Number(rec('SR', sharedSr()).physical_size) - Number(rec('SR', sharedSr()).physical_utilisation);
    const vm = await cloneForProvision(`too big ${wire}`, free + GiB);
    const vdisBefore = sim.db.records('VDI').size;
    expect(await raw('VM.provision', vm)).toEqual({ ok: false, description: ['SR_FULL', String(free + GiB), String(free)] });
    expect(disksOf(vm)).toEqual([]);
    expect(sim.db.records('VDI').size).toBe(vdisBefore);
  });

  it('VDI.create takes space on its SR; VBD.create and VIF.create add devices at free positions', async () => {
    const vm = vmIn('Halted');
    const used = Number(rec('SR', sharedSr()).physical_utilisation);
    const vdi = (await call('VDI.create', { name_label: 'data', name_description: '', SR: sharedSr(), virtual_size: int(2 * GiB), type: 'user', sharable: false, read_only: false, other_config: {}, xenstore_data: {}, sm_config: {}, tags: [] })) as string;
    expect(rec('VDI', vdi)).toMatchObject({ SR: sharedSr(), virtual_size: 2 * GiB, type: 'user' });
    expect(Number(rec('SR', sharedSr()).physical_utilisation)).toBe(used + 2 * GiB);
    const vbdArgs = { VM: vm, VDI: vdi, userdevice: 'autodetect', bootable: false, mode: 'RW', type: 'Disk', unpluggable: true, empty: false, other_config: {}, qos_algorithm_type: '', qos_algorithm_params: {} };
    const vbd = (await call('VBD.create', vbdArgs)) as string;
    expect(rec('VBD', vbd).userdevice).toBe('1'); // xvda is 0
    expect(rec('VM', vm).VBDs).toContain(vbd);
    expect(await raw('VBD.create', { ...vbdArgs, userdevice: '1' })).toEqual({ ok: false, description: ['DEVICE_ALREADY_EXISTS', '1'] });
    const network = [...sim.db.records('network')].find(([, r]) => r.bridge === 'xenbr0')![0];
    const vif = (await call('VIF.create', { device: '1', network, VM: vm, MAC: '', MTU: int(1500), other_config: {}, qos_algorithm_type: '', qos_algorithm_params: {} })) as string;
    expect(rec('VIF', vif)).toMatchObject({ device: '1', network, VM: vm, currently_attached: false });
    expect(rec('VIF', vif).MAC).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    await call('VIF.destroy', vif);
    expect(sim.db.get('VIF', vif)).toBeUndefined();
    await call('VBD.destroy', vbd);
    expect(rec('VM', vm).VBDs).not.toContain(vbd);
    expect(rec('VDI', vdi).VBDs).toEqual([]);
  });

  it('VDI.resize grows a disk and takes the space; the backend never shrinks nor overfills (SR_BACKEND_FAILURE_79/44); an attached disk is VDI_IN_USE', async () => {
    const sr = sharedSr();
    const vdi = (await call('VDI.create', { name_label: 'grows', name_description: '', SR: sr, virtual_size: int(2 * GiB), type: 'user', sharable: false, read_only: false, other_config: {}, xenstore_data: {}, sm_config: {}, tags: [] })) as string;
    const used = Number(rec('SR', sr).physical_utilisation);
    await call('VDI.resize', vdi, int(3 * GiB));
    expect(rec('VDI', vdi).virtual_size).toBe(3 * GiB);
    expect(Number(rec('SR', sr).physical_utilisation)).toBe(used + GiB);
    expect(await raw('VDI.resize', vdi, int(GiB))).toEqual({ ok: false, description: ['SR_BACKEND_FAILURE_79', '', 'VDI Invalid size [opterr=shrinking not allowed]', ''] });
    const free = Number(rec('SR', sr).physical_size) - Number(rec('SR', sr).physical_utilisation);
    expect(await raw('VDI.resize', vdi, int(3 * GiB + free + GiB))).toEqual({ ok: false, description: ['SR_BACKEND_FAILURE_44', '', 'There is insufficient space', ''] });
    expect(rec('VDI', vdi).virtual_size).toBe(3 * GiB);
    const attached = disksOf(vmIn('Running')).find((b) => b.currently_attached)!.VDI as string;
    const size = Number(rec('VDI', attached).virtual_size);
    expect(await raw('VDI.resize', attached, int(size + GiB))).toEqual({ ok: false, description: ['VDI_IN_USE', attached, 'resize'] });
    expect(rec('VDI', attached).virtual_size).toBe(size);
    await call('VDI.destroy', vdi);
  });

  it('a CD drive takes an ISO and gives it back: VBD_NOT_EMPTY, VBD_IS_EMPTY, VBD_NOT_REMOVABLE_MEDIA', async () => {
    const vm = vmIn('Running');
    const isos = [...sim.db.records('VDI')].filter(([, r]) => rec('SR', r.SR as string).content_type === 'iso').map(([ref]) => ref);
    expect(isos.map((r) => rec('VDI', r).name_label).sort()).toEqual([...GENERATED_ISOS].sort());
    const cd = (await call('VBD.create', { VM: vm, VDI: 'OpaqueRef:NULL', userdevice: '3', bootable: false, mode: 'RO', type: 'CD', unpluggable: true, empty: true, other_config: {}, qos_algorithm_type: '', qos_algorithm_params: {} })) as string;
    expect(await raw('VBD.eject', cd)).toEqual({ ok: false, description: ['VBD_IS_EMPTY', cd] });
    await call('VBD.insert', cd, isos[0]);
    expect(rec('VBD', cd)).toMatchObject({ VDI: isos[0], empty: false });
    expect(await raw('VBD.insert', cd, isos[1])).toEqual({ ok: false, description: ['VBD_NOT_EMPTY', cd] });
    await call('VBD.eject', cd);
    expect(rec('VBD', cd)).toMatchObject({ VDI: 'OpaqueRef:NULL', empty: true });
    const disk = (rec('VM', vm).VBDs as string[]).find((b) => rec('VBD', b).type === 'Disk')!;
    expect(await raw('VBD.eject', disk)).toEqual({ ok: false, description: ['VBD_NOT_REMOVABLE_MEDIA', disk] });
    expect(await raw('VBD.create', { VM: vm, VDI: isos[0], userdevice: '4', bootable: false, mode: 'RW', type: 'CD', unpluggable: true, empty: false, other_config: {}, qos_algorithm_type: '', qos_algorithm_params: {} })).toEqual({
      ok: false,
      description: ['VBD_CDS_MUST_BE_READONLY'],
    });
  });

  it('memory limits change only on a halted VM, in order', async () => {
    const running = vmIn('Running');
    expect(await raw('VM.set_memory_limits', running, int(GiB), int(4 * GiB), int(2 * GiB), int(4 * GiB))).toEqual({
      ok: false,
      description: ['VM_BAD_POWER_STATE', running, 'halted', 'running'],
    });
    const vm = vmIn('Halted');
    const before = { ...rec('VM', vm) };
    expect(await raw('VM.set_memory_limits', vm, int(GiB), int(4 * GiB), int(3 * GiB), int(2 * GiB))).toEqual({ ok: false, description: ['MEMORY_CONSTRAINT_VIOLATION', ORDER] });
    expect(rec('VM', vm).memory_dynamic_min).toBe(before.memory_dynamic_min);
    await call('VM.set_memory_limits', vm, int(GiB), int(4 * GiB), int(2 * GiB), int(4 * GiB));
    expect(rec('VM', vm)).toMatchObject({ memory_static_min: GiB, memory_static_max: 4 * GiB, memory_dynamic_min: 2 * GiB, memory_dynamic_max: 4 * GiB });
  });

  it('the dynamic range changes on a running VM: memory_target and memory_actual follow, the change is an event', async () => {
    const vm = vmIn('Running');
    const r = rec('VM', vm);
    const max = Number(r.memory_static_max);
    const token = ((await call('event.from', ['vm', 'vm_metrics'], '', 0.1)) as { token: string }).token;
    await call('VM.set_memory_dynamic_range', vm, int(max / 2), int(max));
    expect(rec('VM', vm)).toMatchObject({ memory_dynamic_min: max / 2, memory_dynamic_max: max, memory_target: max / 2 });
    expect(rec('VM_metrics', r.metrics as string).memory_actual).toBe(max);
    const events = ((await call('event.from', ['vm', 'vm_metrics'], token, 1)) as { events: Rec[] }).events;
    expect(events.map((e) => e.ref)).toEqual(expect.arrayContaining([vm, r.metrics]));
    const bad = await raw('VM.set_memory_dynamic_range', vm, int(max), int(max + GiB));
    expect(bad).toEqual({ ok: false, description: ['MEMORY_CONSTRAINT_VIOLATION', ORDER] });
    expect(rec('VM', vm).memory_dynamic_max).toBe(max);
  });

  it('without dynamic memory control (pool.restrictions restrict_dmc) the range must be pinned at static_max', async () => {
    const pool = sim.db.records('pool').keys().next().value as string;
    const restrictions = rec('pool', pool).restrictions as Rec;
    sim.db.set('pool', pool, 'restrictions', { ...restrictions, restrict_dmc: 'true' });
    try {
      const vm = vmIn('Halted');
      const max = Number(rec('VM', vm).memory_static_max);
      expect(await raw('VM.set_memory_dynamic_range', vm, int(max / 2), int(max))).toEqual({
        ok: false,
        description: ['MEMORY_CONSTRAINT_VIOLATION', 'Memory limits must satisfy: static_min ≤ dynamic_min = dynamic_max = static_max'],
      });
      await call('VM.set_memory_dynamic_range', vm, int(max), int(max));
      expect(rec('VM', vm)).toMatchObject({ memory_dynamic_min: max, memory_dynamic_max: max });
    } finally {
      sim.db.set('pool', pool, 'restrictions', restrictions);
    }
  });

  it('vCPUs: VCPUs_max while halted, the live count up to it while running', async () => {
    const vm = vmIn('Running');
    expect(await raw('VM.set_VCPUs_max', vm, int(4))).toEqual({ ok: false, description: ['VM_BAD_POWER_STATE', vm, 'halted', 'running'] });
    const max = Number(rec('VM', vm).VCPUs_max);
    expect(await raw('VM.set_VCPUs_number_live', vm, int(max + 1))).toEqual({
      ok: false,
      description: ['INVALID_VALUE', 'VCPU values must satisfy: 0 < VCPUs ≤ VCPUs_max', String(max + 1)],
    });
    await call('VM.set_VCPUs_number_live', vm, int(1));
    expect(rec('VM', vm).VCPUs_at_startup).toBe(1);
    expect(rec('VM_metrics', rec('VM', vm).metrics as string).VCPUs_number).toBe(1);
    const halted = vmIn('Halted');
    const over = Number(rec('VM', halted).VCPUs_max) + 1;
    expect(await raw('VM.set_VCPUs_at_startup', halted, int(over))).toEqual({ ok: false, description: ['INVALID_VALUE', 'VCPU values must satisfy: 0 < VCPUs_at_startup ≤ VCPUs_max', String(over)] });
    await call('VM.set_VCPUs_max', halted, int(8));
    await call('VM.set_VCPUs_at_startup', halted, int(6));
    expect(rec('VM', halted)).toMatchObject({ VCPUs_max: 8, VCPUs_at_startup: 6 });
  });

  it('VM.clone shares the disks copy-on-write; VM.copy writes full disks on the chosen SR', async () => {
    const vm = vmIn('Halted');
    const [source] = disksOf(vm);
    const srcVdi = rec('VDI', source!.VDI as string);
    const clone = (await call('VM.clone', vm, `fast ${wire}`)) as string;
    const cloneVdi = rec('VDI', disksOf(clone)[0]!.VDI as string);
    expect((cloneVdi.sm_config as Rec)['vhd-parent']).toBe(srcVdi.uuid);
    const local = [...sim.db.records('SR')].find(([, r]) => r.type === 'nfs')![0];
    const copy = (await call('VM.copy', vm, `full ${wire}`, local)) as string;
    const copyVdi = rec('VDI', disksOf(copy)[0]!.VDI as string);
    expect(copyVdi.SR).toBe(local);
    expect((copyVdi.sm_config as Rec)['vhd-parent']).toBeUndefined();
    expect(copyVdi.physical_utilisation).toBe(srcVdi.virtual_size);
    const running = vmIn('Running');
    expect(await raw('VM.copy', running, 'nope', 'OpaqueRef:NULL')).toEqual({ ok: false, description: ['VM_BAD_POWER_STATE', running, 'halted, suspended', 'running'] });
  });

  it('set_is_a_template: true needs a halted VM, false turns a template back into a VM', async () => {
    const running = vmIn('Running');
    expect(await raw('VM.set_is_a_template', running, true)).toEqual({ ok: false, description: ['VM_BAD_POWER_STATE', running, 'halted', 'running'] });
    const vm = vmIn('Halted');
    await call('VM.set_is_a_template', vm, true);
    expect(rec('VM', vm).is_a_template).toBe(true);
    expect(rec('VM', vm).allowed_operations).toEqual(expect.arrayContaining(['clone', 'copy', 'provision', 'destroy']));
    await call('VM.set_is_a_template', vm, false);
    expect(rec('VM', vm).is_a_template).toBe(false);
  });

  it('VM.destroy wants a halted VM and leaves its disks; VDI.destroy gives the space back', async () => {
    const running = vmIn('Running');
    expect(await raw('VM.destroy', running)).toEqual({ ok: false, description: ['VM_BAD_POWER_STATE', running, 'halted', 'running'] });
    const vm = (await call('VM.clone', vmIn('Halted'), `doomed ${wire}`)) as string;
    const vdi = disksOf(vm)[0]!.VDI as string;
    await call('VM.destroy', vm);
    expect(sim.db.get('VM', vm)).toBeUndefined();
    expect(rec('VDI', vdi).VBDs).toEqual([]);
    const sr = rec('VDI', vdi).SR as string;
    const used = Number(rec('SR', sr).physical_utilisation);
    const size = Number(rec('VDI', vdi).physical_utilisation);
    await call('VDI.destroy', vdi);
    expect(sim.db.get('VDI', vdi)).toBeUndefined();
    expect(Number(rec('SR', sr).physical_utilisation)).toBe(Math.max(0, used - size));
  });
});
