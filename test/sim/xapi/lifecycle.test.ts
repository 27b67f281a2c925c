// VM power operations follow xapi's rules: each operation from each power
// state either succeeds with the right record changes or fails with
// VM_BAD_POWER_STATE [vm, expected, actual]; changes reach event.from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { expectOk, jsonCall, login, until, xmlCall } from './rpc-client';

type State = 'Halted' | 'Running' | 'Paused' | 'Suspended';
const STATES: State[] = ['Halted', 'Running', 'Paused', 'Suspended'];

// operation → [power states it is allowed from, resulting state] (XenAPI VM lifecycle)
const RULES: Record<string, [State[], State, unknown[]]> = {
  start: [['Halted'], 'Running', [false, false]],
  clean_shutdown: [['Running'], 'Halted', []],
  hard_shutdown: [['Paused', 'Running', 'Suspended'], 'Halted', []],
  clean_reboot: [['Running'], 'Running', []],
  hard_reboot: [['Paused', 'Running'], 'Running', []],
  suspend: [['Running'], 'Suspended', []],
  resume: [['Suspended'], 'Running', [false, false]],
  pause: [['Running'], 'Paused', []],
  unpause: [['Paused'], 'Running', []],
};

let sim: XapiSimulator;
let session: string;
let vm: string;

/** puts the test VM into `state` by legal operations only */
async function bringTo(state: State): Promise<void> {
  const current = sim.db.get('VM', vm)!.power_state as State;
  if (current === state) return;
  if (current !== 'Halted') expectOk(await jsonCall(sim.url, 'VM.hard_shutdown', [session, vm]));
  if (state === 'Halted') return;
  expectOk(await jsonCall(sim.url, 'VM.start', [session, vm, state === 'Paused', false]));
  if (state === 'Suspended') expectOk(await jsonCall(sim.url, 'VM.suspend', [session, vm]));
}

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 2, vms: 6, snapshots: 0 }, tls: false, taskDurationMs: 40 });
  session = await login(sim.url);
  vm = [...sim.db.records('VM')].find(([, r]) => !r.is_a_template && !r.is_control_domain)![0];
});
afterAll(() => sim?.stop());

describe('power-state rules', () => {
  for (const [op, [allowed, result, extra]] of Object.entries(RULES)) {
    for (const from of STATES) {
      it(`${op} from ${from} ${allowed.includes(from) ? `→ ${result}` : 'fails'}`, async () => {
        await bringTo(from);
        const r = await jsonCall(sim.url, `VM.${op}`, [session, vm, ...extra]);
        if (allowed.includes(from)) {
          expect(r).toEqual({ ok: true, value: null });
          expect(sim.db.get('VM', vm)!.power_state).toBe(result);
        } else {
          expect(r).toEqual({
            ok: false,
            description: ['VM_BAD_POWER_STATE', vm, allowed.map((s) => s.toLowerCase()).join(', '), from.toLowerCase()],
          });
          expect(sim.db.get('VM', vm)!.power_state).toBe(from);
        }
      });
    }
  }
});

describe('record changes', () => {
  it('start sets resident_on, domid, metrics and consoles; shutdown clears them', async () => {
    await bringTo('Halted');
    const hosts = [...sim.db.records('host').keys()];
    expectOk(await jsonCall(sim.url, 'VM.start_on', [session, vm, hosts[1], false, false]));
    const rec = sim.db.get('VM', vm)!;
    expect(rec.resident_on).toBe(hosts[1]);
    expect(rec.domid).toBeGreaterThan(0);
    expect(sim.db.get('host', hosts[1])!.resident_VMs).toContain(vm);
    expect(sim.db.get('VM_metrics', rec.metrics as string)!.VCPUs_number).toBe(rec.VCPUs_at_startup);
    const consoles = rec.consoles as string[];
    expect(consoles.length).toBeGreaterThan(0);
    const c = sim.db.get('console', consoles[0])!;
    expect(c.protocol).toBe('rfb');
    expect(c.location).toBe(`https://127.0.0.1:${sim.port}/console?uuid=${c.uuid}`);
    expect(rec.allowed_operations).toEqual(expect.arrayContaining(['clean_shutdown', 'hard_shutdown', 'suspend', 'snapshot', 'checkpoint']));
    expect(rec.allowed_operations).not.toContain('start');

    expectOk(await jsonCall(sim.url, 'VM.clean_shutdown', [session, vm]));
    const after = sim.db.get('VM', vm)!;
    expect(after.resident_on).toBe('OpaqueRef:NULL');
    expect(after.domid).toBe(-1);
    expect(after.consoles).toEqual([]);
    expect(sim.db.get('console', consoles[0])).toBeUndefined();
    expect(sim.db.get('host', hosts[1])!.resident_VMs).not.toContain(vm);
    expect(after.allowed_operations).toEqual(expect.arrayContaining(['start', 'start_on', 'destroy', 'snapshot']));
  });

  it('suspend creates the suspend VDI, resume removes it', async () => {
    await bringTo('Running');
    expectOk(await jsonCall(sim.url, 'VM.suspend', [session, vm]));
    const vdi = sim.db.get('VM', vm)!.suspend_VDI as string;
    expect(sim.db.get('VDI', vdi)!.type).toBe('suspend');
    expectOk(await jsonCall(sim.url, 'VM.resume', [session, vm, false, false]));
    expect(sim.db.get('VM', vm)!.suspend_VDI).toBe('OpaqueRef:NULL');
    expect(sim.db.get('VDI', vdi)).toBeUndefined();
  });

  it('refuses templates, the control domain, and destroying a running VM', async () => {
    const template = [...sim.db.records('VM')].find(([, r]) => r.is_a_template && !r.is_a_snapshot)![0];
    expect(await jsonCall(sim.url, 'VM.start', [session, template, false, false])).toEqual({ ok: false, description: ['VM_IS_TEMPLATE', template, 'start'] });
    const dom0 = [...sim.db.records('VM')].find(([, r]) => r.is_control_domain)![0];
    const refused = await jsonCall(sim.url, 'VM.clean_shutdown', [session, dom0]);
    expect(refused.ok || refused.description[0]).toBe('OPERATION_NOT_ALLOWED');
    await bringTo('Running');
    expect(await jsonCall(sim.url, 'VM.destroy', [session, vm])).toEqual({
      ok: false,
      description: ['VM_BAD_POWER_STATE', vm, 'halted', 'running'],
    });
  });

  it('accepts XML-RPC booleans and answers over XML-RPC', async () => {
    await bringTo('Halted');
    expect(await xmlCall(sim.url, 'VM.start', [session, vm, true, false])).toEqual({ ok: true, value: '' });
    expect(sim.db.get('VM', vm)!.power_state).toBe('Paused');
    expect(await xmlCall(sim.url, 'VM.get_power_state', [session, vm])).toEqual({ ok: true, value: 'Paused' });
  });

  it('delivers the changes through event.from (add/mod/del, filtered by class)', async () => {
    await bringTo('Halted');
    const first = expectOk(await jsonCall(sim.url, 'event.from', [session, ['VM', 'console'], '', 0])) as {
      events: { operation: string; class: string }[];
      token: string;
      valid_ref_counts: Record<string, number>;
    };
    expect(first.events.every((e) => e.operation === 'add' && (e.class === 'vm' || e.class === 'console'))).toBe(true);
    expect(first.events.filter((e) => e.class === 'vm').length).toBe(sim.db.records('VM').size);
    expect(first.valid_ref_counts.vm).toBe(sim.db.records('VM').size);

    const waiting = jsonCall(sim.url, 'event.from', [session, ['VM', 'console'], first.token, 10]);
    await until(() => sim.waitingPolls > 0, 'the long poll to arrive');
    expectOk(await jsonCall(sim.url, 'VM.start', [session, vm, false, false]));
    const batch = expectOk(await waiting) as { events: { operation: string; class: string; ref: string; snapshot: Record<string, unknown> }[]; token: string };
    const vmEvent = batch.events.find((e) => e.ref === vm)!;
    expect(vmEvent).toMatchObject({ class: 'vm', operation: 'mod' });
    expect(vmEvent.snapshot.power_state).toBe('Running');
    expect(batch.events.some((e) => e.class === 'console' && e.operation === 'add')).toBe(true);
    expect(batch.events.some((e) => e.class === 'vm_metrics')).toBe(false);

    expectOk(await jsonCall(sim.url, 'VM.hard_shutdown', [session, vm]));
    const next = expectOk(await jsonCall(sim.url, 'event.from', [session, ['console'], batch.token, 5])) as { events: { operation: string; snapshot?: unknown }[] };
    expect(next.events.map((e) => e.operation)).toContain('del');
    expect(next.events.find((e) => e.operation === 'del')!.snapshot).toBeUndefined();

    const idle = Date.now();
    const empty = expectOk(await jsonCall(sim.url, 'event.from', [session, ['SR'], batch.token, 0.3])) as { events: unknown[] };
    expect(empty.events).toEqual([]);
    expect(Date.now() - idle).toBeGreaterThanOrEqual(250);
  });
});
