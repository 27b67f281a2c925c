// The simulator against the official data model (xenapi.json): every served
// method exists there with the same parameters, every error code it can raise
// is listed for that message (or is one of xapi's generic errors), records
// carry exactly the fields of their class, enum values are valid.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { SimCore } from './core';
import { XapiDatabase } from './database';
import { GENERIC_ERRORS, UNLISTED_ERRORS } from './failure';
import { registerAllMethods } from './methods/index';
import { listMethods } from './methods/session';
import { loadModel, REFERENCE_PATH, type RefClass } from './model';
import { expectOk, jsonCall, login, xmlCall } from './rpc-client';

const reference = JSON.parse(readFileSync(REFERENCE_PATH, 'utf8')) as RefClass[];
const refMessage = (name: string) => {
  const dot = name.indexOf('.');
  return reference.find((c) => c.name === name.slice(0, dot))?.messages.find((m) => m.name === name.slice(dot + 1));
};
const enumValues = (name: string) => reference.flatMap((c) => c.enums).find((e) => e.name === name)!.values.map((v) => v.name);

const model = loadModel();
const core = new SimCore(new XapiDatabase(model), model, {
  user: 'root',
  password: 'password',
  taskDurationMs: 10,
  publicAddress: () => 'localhost',
  timeZone: 'UTC',
});
registerAllMethods(core);

describe('method table vs the data model', () => {
  it('serves the methods of every class that has records, incl. the ones clients need', () => {
    const names = new Set(listMethods(core));
    for (const m of [
      'session.login_with_password',
      'session.logout',
      'session.get_this_host',
      'session.get_this_user',
      'system.listMethods',
      'event.from',
      'event.inject',
      'VM.get_all_records',
      'VM.get_by_uuid',
      'VM.get_by_name_label',
      'VM.get_power_state',
      'VM.set_name_label',
      'VM.set_name_description',
      'Async.VM.start',
      'Async.VM.snapshot',
      'Async.VM.checkpoint',
      'Async.VM.revert',
      'Async.VM.destroy',
      'Async.VDI.destroy',
      'task.cancel',
      'task.destroy',
      'console.get_location',
      'VM_metrics.get_all_records',
      'host_metrics.get_all_records',
      'VIF.get_all_records',
      'PIF.get_all_records',
      'VM.clone',
      'Async.VM.clone',
      'Async.VM.provision',
      'VM.set_snapshot_schedule',
      'VM.get_snapshot_schedule',
      'VM.get_is_vmss_snapshot',
      'host.get_servertime',
      'host.get_server_localtime',
      // migration and host operations (issue 13)
      'VM.pool_migrate',
      'Async.VM.pool_migrate',
      'VM.assert_can_boot_here',
      'VM.assert_can_migrate',
      'VM.migrate_send',
      'Async.VM.migrate_send',
      'host.disable',
      'host.enable',
      'host.evacuate',
      'Async.host.evacuate',
      'host.get_vms_which_prevent_evacuation',
      'host.assert_can_evacuate',
      'host.reboot',
      'host.shutdown',
      'host.power_on',
      'host.compute_free_memory',
      'host.migrate_receive',
    ]) {
      expect(names.has(m), m).toBe(true);
    }
    // every message of the snapshot-schedule class
    for (const msg of reference.find((c) => c.name === 'VMSS')!.messages) {
      const m = `VMSS.${msg.name}`;
      expect(names.has(m), m).toBe(true);
    }
    for (const c of reference) {
      if (c.messages.some((m) => m.name === 'get_all_records')) expect(names.has(`${c.name}.get_all_records`), c.name).toBe(true);
    }
  });

  it('gives every method the parameters of the data model', () => {
    let checked = 0;
    for (const def of core.methods.values()) {
      if (def.name === 'system.listMethods') continue; // XML-RPC introspection, not part of the data model
      const ref = refMessage(def.name);
      expect(ref, def.name).toBeDefined();
      expect(
        def.params.map(([type, name]) => `${type} ${name}`),
        def.name,
      ).toEqual(ref!.params.map((p) => `${p.type} ${p.name}`));
      expect(def.minArgs ?? def.params.length).toBeLessThanOrEqual(def.params.length);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('declares only errors the data model lists for the message, generic errors or documented exceptions', () => {
    const generic = new Set<string>(GENERIC_ERRORS);
    for (const def of core.methods.values()) {
      const listed = new Set(refMessage(def.name)?.errors.map((e) => e.name) ?? []);
      for (const code of def.errors) {
        const ok = listed.has(code) || generic.has(code) || (UNLISTED_ERRORS[def.name] ?? []).includes(code);
        expect(ok, `${def.name} raises ${code}`).toBe(true);
      }
    }
  });

  it('raises no error code that is not declared somewhere (scan of the simulator source)', () => {
    const dir = path.dirname(fileURLToPath(import.meta.url));
    const files = ['', 'methods', 'vmss'].flatMap((sub) => readdirSync(path.join(dir, sub)).map((f) => path.join(dir, sub, f)));
    const declared = new Set<string>([...GENERIC_ERRORS, ...Object.values(UNLISTED_ERRORS).flat()]);
    for (const def of core.methods.values()) for (const e of def.errors) declared.add(e);
    const allReferenceErrors = new Set(reference.flatMap((c) => c.messages.flatMap((m) => m.errors.map((e) => e.name))));
    const raised = new Set<string>();
    for (const f of files) {
      if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(/new XapiFailure\('([A-Z_]+)'/g)) raised.add(m[1]);
    }
    expect(raised.size).toBeGreaterThan(10);
    for (const code of raised) {
      expect(declared.has(code), `${code} is raised but declared nowhere`).toBe(true);
    }
    // generic codes aside, every declared code is listed somewhere in the data model or documented as unlisted
    const unlisted = new Set(Object.values(UNLISTED_ERRORS).flat());
    for (const def of core.methods.values()) {
      for (const code of def.errors) {
        if (GENERIC_ERRORS.includes(code as never)) continue;
        expect(allReferenceErrors.has(code) || unlisted.has(code), code).toBe(true);
      }
    }
  });
});

describe('records and errors over the wire', () => {
  let sim: XapiSimulator;
  let session: string;
  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 12, snapshots: 8 }, tls: false, taskDurationMs: 20 });
    session = await login(sim.url);
    // a snapshot schedule with a member VM, run once: VMSS, message and schedule-snapshot records to check
    const vms = expectOk(await jsonCall(sim.url, 'VM.get_all_records', [session])) as Record<string, Record<string, unknown>>;
    const member = Object.keys(vms).find((r) => vms[r]!.power_state === 'Running' && !vms[r]!.is_control_domain && !vms[r]!.is_a_template)!;
    const vmss = expectOk(
      await jsonCall(sim.url, 'VMSS.create', [session, { name_label: 'hourly', type: 'snapshot', frequency: 'hourly', retained_snapshots: 2, schedule: { min: '15' } }]),
    ) as string;
    expectOk(await jsonCall(sim.url, 'VM.set_snapshot_schedule', [session, member, vmss]));
    expectOk(await jsonCall(sim.url, 'VMSS.snapshot_now', [session, vmss]));
  });
  afterAll(() => sim?.stop());

  it('returns records with exactly the fields of the class (JSON-RPC and XML-RPC)', async () => {
    for (const cls of ['pool', 'host', 'VM', 'VDI', 'VBD', 'SR', 'console', 'VM_metrics', 'host_metrics', 'network', 'PIF', 'VIF', 'task', 'VMSS', 'message']) {
      const fields = model.cls(cls).fields.map((f) => f.name).sort();
      const json = expectOk(await jsonCall(sim.url, `${cls}.get_all_records`, [session])) as Record<string, Record<string, unknown>>;
      const xml = expectOk(await xmlCall(sim.url, `${cls}.get_all_records`, [session])) as Record<string, Record<string, unknown>>;
      expect(Object.keys(xml).sort(), cls).toEqual(Object.keys(json).sort());
      for (const rec of [...Object.values(json), ...Object.values(xml)]) expect(Object.keys(rec).sort(), cls).toEqual(fields);
    }
  });

  it('sends XAPI wire types in XML-RPC: ints as strings, bools, doubles, datetimes', async () => {
    const vms = expectOk(await xmlCall(sim.url, 'VM.get_all_records', [session])) as Record<string, Record<string, unknown>>;
    const vm = Object.values(vms).find((v) => v.power_state === 'Running' && !v.is_control_domain)!;
    expect(typeof vm.memory_static_max).toBe('string');
    expect(vm.memory_static_max).toMatch(/^\d+$/);
    expect(vm.is_a_template).toBe(false);
    expect(vm.snapshot_time).toBeInstanceOf(Date); // <dateTime.iso8601>
    expect(typeof vm.HVM_shadow_multiplier).toBe('number'); // <double>
    const json = expectOk(await jsonCall(sim.url, 'VM.get_record', [session, Object.keys(vms).find((r) => vms[r] === vm)])) as Record<string, unknown>;
    expect(json.memory_static_max).toBe(Number(vm.memory_static_max));
    expect(json.snapshot_time).toMatch(/^\d{8}T\d\d:\d\d:\d\dZ$/);
  });

  it('uses only enum values of the data model', async () => {
    const power = enumValues('vm_power_state');
    const ops = enumValues('vm_operations');
    const vms = expectOk(await jsonCall(sim.url, 'VM.get_all_records', [session])) as Record<string, Record<string, unknown>>;
    for (const vm of Object.values(vms)) {
      expect(power).toContain(vm.power_state);
      for (const op of vm.allowed_operations as string[]) expect(ops).toContain(op);
    }
    const vm = Object.entries(vms).find(([, v]) => v.power_state === 'Halted' && !v.is_a_template)![0];
    const task = expectOk(await jsonCall(sim.url, 'Async.VM.start', [session, vm, false, false])) as string;
    const rec = expectOk(await jsonCall(sim.url, 'task.get_record', [session, task])) as Record<string, unknown>;
    expect(enumValues('task_status_type')).toContain(rec.status);
    const consoles = expectOk(await jsonCall(sim.url, 'console.get_all_records', [session])) as Record<string, Record<string, unknown>>;
    for (const c of Object.values(consoles)) expect(enumValues('console_protocol')).toContain(c.protocol);
    const schedules = expectOk(await jsonCall(sim.url, 'VMSS.get_all_records', [session])) as Record<string, Record<string, unknown>>;
    expect(Object.keys(schedules).length).toBeGreaterThan(0);
    for (const v of Object.values(schedules)) {
      expect(enumValues('vmss_type')).toContain(v.type);
      expect(enumValues('vmss_frequency')).toContain(v.frequency);
    }
    const hosts = expectOk(await jsonCall(sim.url, 'host.get_all_records', [session])) as Record<string, Record<string, unknown>>;
    for (const h of Object.values(hosts)) for (const op of h.allowed_operations as string[]) expect(enumValues('host_allowed_operations')).toContain(op);
    const messages = expectOk(await jsonCall(sim.url, 'message.get_all_records', [session])) as Record<string, Record<string, unknown>>;
    for (const m of Object.values(messages)) expect(enumValues('cls')).toContain(m.cls);
  });

  it.each(['json', 'xml'] as const)('answers XAPI errors for bad calls (%s)', async (t) => {
    const call = (m: string, p: unknown[]) => (t === 'json' ? jsonCall(sim.url, m, p) : xmlCall(sim.url, m, p));
    expect(await call('VM.frobnicate', [session])).toEqual({ ok: false, description: ['MESSAGE_METHOD_UNKNOWN', 'VM.frobnicate'] });
    expect(await call('VM.get_all', [])).toEqual({ ok: false, description: ['MESSAGE_PARAMETER_COUNT_MISMATCH', 'VM.get_all', '1', '0'] });
    expect(await call('VM.get_all', ['OpaqueRef:nope'])).toEqual({ ok: false, description: ['SESSION_INVALID', 'OpaqueRef:nope'] });
    expect(await call('VM.get_record', [session, 'OpaqueRef:missing'])).toEqual({
      ok: false,
      description: ['HANDLE_INVALID', 'VM', 'OpaqueRef:missing'],
    });
    expect(await call('session.login_with_password', ['root', 'wrong'])).toEqual({
      ok: false,
      description: ['SESSION_AUTHENTICATION_FAILED', 'root', 'Authentication failure'],
    });
    expect(await call('VM.get_by_uuid', [session, 'no-such-uuid'])).toMatchObject({ ok: false, description: ['UUID_INVALID', 'VM', 'no-such-uuid'] });
  });

  it('speaks JSON-RPC 1.0 as well (error as the ErrorDescription array)', async () => {
    expect(await jsonCall(sim.url, 'VM.get_all', ['OpaqueRef:nope'], '1.0')).toEqual({ ok: false, description: ['SESSION_INVALID', 'OpaqueRef:nope'] });
    expect(((await jsonCall(sim.url, 'VM.get_all', [session], '1.0')) as { value: unknown[] }).value.length).toBeGreaterThan(10);
  });
});
