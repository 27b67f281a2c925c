// The event.from pace (issue 17): a pool that changes all the time is polled at most once
// per pace, not as fast as the client's loop turns, and every change still arrives. The
// simulator counts the answers it wrote; the names are read back from its own store.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { MIN_EVENT_POLL_PACE_MS, eventPollPaceMs } from '../../../electron/core/providers/xenserver/live-session';
import { Harness } from './harness';

const CHANGE_EVERY_MS = 4;
const CHURN_MS = 1_500;

describe('XAPI event.from pace', () => {
  let sim: XapiSimulator;
  let harness: Harness;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 40, snapshots: 0 } });
    harness = new Harness(sim, { transport: 'jsonrpc' });
    await harness.provider.connect();
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('grows with the pools followed, never below its floor', () => {
    expect(eventPollPaceMs(1)).toBe(MIN_EVENT_POLL_PACE_MS);
    expect(eventPollPaceMs(100)).toBeGreaterThan(MIN_EVENT_POLL_PACE_MS);
    expect(eventPollPaceMs(100)).toBeGreaterThan(eventPollPaceMs(60));
  });

  it('polls a pool under a storm of changes once per pace, and every change arrives', async () => {
    const guests = [...sim.db.records('VM')].filter(([, vm]) => !vm.is_control_domain && !vm.is_a_template && !vm.is_a_snapshot).map(([ref]) => ref);
    let answers = 0;
    let counting = true;
    const count = () => {
      answers++;
      if (counting) sim.faults.afterAnswer('event.from', count);
    };
    sim.faults.afterAnswer('event.from', count);

    const started = performance.now();
    let n = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const ref = guests[n % guests.length]!;
        sim.db.update('VM', ref, { name_label: `storm ${n++}` });
        if (performance.now() - started >= CHURN_MS) {
          clearInterval(timer);
          resolve();
        }
      }, CHANGE_EVERY_MS);
    });
    const churnMs = performance.now() - started;
    counting = false;

    // every VM ends with the name the simulator holds
    const expected = new Map(guests.map((ref) => [ref, String(sim.db.get('VM', ref)!.name_label)]));
    await harness.until(() => [...expected].every(([ref, name]) => harness.byRef(ref)?.name === name), 20_000, 'every last name');
    expect(n).toBeGreaterThan(guests.length);
    // unpaced, the client asks again as soon as each answer is read: one change per answer, hundreds of answers
    expect(answers).toBeLessThanOrEqual(Math.ceil(churnMs / MIN_EVENT_POLL_PACE_MS) + 2);
    expect(answers).toBeGreaterThan(3);
  });
});
