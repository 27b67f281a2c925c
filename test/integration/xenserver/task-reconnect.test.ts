// A task lives on the pool, not on the connection: an operation in progress
// when the connection drops is still followed to its end after the reconnect.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, reporter, TRANSPORTS } from './harness';

describe.each(TRANSPORTS)('XenServer task across a reconnect over %s', (transport) => {
  let sim: XapiSimulator;
  let harness: Harness;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 1, vms: 2, snapshots: 0 }, taskDurationMs: 1_500 });
    harness = new Harness(sim, { transport });
    await harness.provider.connect();
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('reports the snapshot made while the connection was down', async () => {
    const vm = harness.ofKind('vm').find((n) => !n.controlDomain)!;
    const task = reporter();
    const pending = harness.provider.runAction(vm, 'snapshot_create', { name: 'through the storm' }, task);
    await task.cancellable();
    const statesBefore = harness.states.length;
    sim.faults.dropConnections();
    const result = await pending;
    expect(harness.states.slice(statesBefore).map((s) => s.state)).toContain('reconnecting');
    expect(result.resultId).toMatch(/:snapshot:/);
    const snap = await harness.until(() => harness.nodes.get(result.resultId!), 10_000, 'snapshot node');
    expect(snap.name).toBe('through the storm');
    expect(task.progressValues.at(-1)).toBe(1);
  });
});
