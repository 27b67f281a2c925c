// Async.* tasks: progress advances in steps with events, results and errors
// land in the task record as xapi stores them, cancel leaves nothing applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { expectOk, jsonCall, login, until, xmlCall } from './rpc-client';

type Rec = Record<string, unknown>;
let sim: XapiSimulator;
let session: string;

const call = async (method: string, ...args: unknown[]) => expectOk(await jsonCall(sim.url, method, [session, ...args]));
const task = async (ref: string) => (await call('task.get_record', ref)) as Rec;
async function settle(ref: string): Promise<Rec> {
  await until(async () => (await task(ref)).status !== 'pending', `task ${ref} to end`);
  return task(ref);
}
const vmIn = (state: string) => [...sim.db.records('VM')].find(([, r]) => !r.is_a_template && !r.is_control_domain && r.power_state === state)![0];

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 1, vms: 8, snapshots: 0 }, tls: false, taskDurationMs: 400 });
  session = await login(sim.url);
});
afterAll(() => sim?.stop());

describe('Async tasks', () => {
  it('returns a pending task at once, locks the VM, advances progress in steps, then succeeds', async () => {
    const vm = vmIn('Halted');
    const start = expectOk(await jsonCall(sim.url, 'event.from', [session, ['task'], '', 0])) as { token: string };
    const ref = (await call('Async.VM.start', vm, false, false)) as string;
    const t0 = await task(ref);
    expect(t0).toMatchObject({ status: 'pending', name_label: 'Async.VM.start', allowed_operations: ['cancel'], finished: '19700101T00:00:00Z' });
    expect(t0.progress).toBeLessThan(1);
    const v = sim.db.get('VM', vm)!;
    expect(v.current_operations).toEqual({ [ref]: 'start' });
    expect(v.allowed_operations).toEqual([]);
    expect(await jsonCall(sim.url, 'VM.start', [session, vm, false, false])).toEqual({
      ok: false,
      description: ['OTHER_OPERATION_IN_PROGRESS', 'VM', vm],
    });

    // follow the task through event.from as clients do
    const progress: number[] = [];
    let token = start.token;
    for (let done = false; !done; ) {
      const batch = expectOk(await jsonCall(sim.url, 'event.from', [session, ['task'], token, 5])) as {
        token: string;
        events: { ref: string; snapshot: Rec }[];
      };
      token = batch.token;
      for (const e of batch.events) {
        if (e.ref !== ref) continue;
        progress.push(e.snapshot.progress as number);
        done ||= e.snapshot.status !== 'pending';
      }
    }
    expect(new Set(progress.filter((p) => p > 0 && p < 1)).size).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const t = await task(ref);
    expect(t).toMatchObject({ status: 'success', progress: 1, result: '', error_info: [], allowed_operations: [] });
    expect(t.finished).not.toBe('19700101T00:00:00Z');
    expect(sim.db.get('VM', vm)!.power_state).toBe('Running');
    expect(sim.db.get('VM', vm)!.current_operations).toEqual({});
    expect(sim.db.get('VM', vm)!.allowed_operations).toContain('clean_shutdown');
  });

  it('stores a ref result as an XML-RPC value, like xapi', async () => {
    const ref = (await call('Async.VM.snapshot', vmIn('Running'), 'async snap')) as string;
    const t = await settle(ref);
    expect(t.status).toBe('success');
    const m = /^<value>(OpaqueRef:[^<]+)<\/value>$/.exec(t.result as string);
    expect(m).not.toBeNull();
    expect(sim.db.get('VM', m![1])!.is_a_snapshot).toBe(true);
  });

  it('puts failures in error_info', async () => {
    const vm = vmIn('Halted');
    const ref = (await call('Async.VM.clean_shutdown', vm)) as string;
    const t = await settle(ref);
    expect(t).toMatchObject({ status: 'failure', error_info: ['VM_BAD_POWER_STATE', vm, 'running', 'halted'] });
  });

  it('task.cancel stops a pending task before anything is applied', async () => {
    const vm = vmIn('Halted');
    const ref = (await call('Async.VM.start', vm, false, false)) as string;
    await call('task.cancel', ref);
    const t = await task(ref);
    expect(t.status).toBe('cancelled');
    expect(t.error_info).toEqual(['TASK_CANCELLED', ref]);
    // longer than the task would have run: nothing of it may show up
    await new Promise((r) => setTimeout(r, 500));
    expect(sim.db.get('VM', vm)!.power_state).toBe('Halted');
    expect(sim.db.get('VM', vm)!.current_operations).toEqual({});
    expect(sim.db.get('VM', vm)!.allowed_operations).toContain('start');
    const again = await jsonCall(sim.url, 'task.cancel', [session, ref]);
    expect(again.ok || again.description[0]).toBe('OPERATION_NOT_ALLOWED');
  });

  it('task.destroy removes the record; Async works over XML-RPC too', async () => {
    const ref = (await xmlCall(sim.url, 'Async.VM.snapshot', [session, vmIn('Running'), 'xml snap'])) as { ok: true; value: string };
    expect(ref.value).toMatch(/^OpaqueRef:/);
    await settle(ref.value);
    await call('task.destroy', ref.value);
    expect(await jsonCall(sim.url, 'task.get_record', [session, ref.value])).toEqual({
      ok: false,
      description: ['HANDLE_INVALID', 'task', ref.value],
    });
  });

  it('rejects a bad session and a bad ref before creating a task', async () => {
    expect(await jsonCall(sim.url, 'Async.VM.start', ['OpaqueRef:bad', 'OpaqueRef:x', false, false])).toEqual({
      ok: false,
      description: ['SESSION_INVALID', 'OpaqueRef:bad'],
    });
    const r = await jsonCall(sim.url, 'Async.VM.start', [session, 'OpaqueRef:x', false, false]);
    expect(r).toEqual({ ok: false, description: ['HANDLE_INVALID', 'VM', 'OpaqueRef:x'] });
  });
});
