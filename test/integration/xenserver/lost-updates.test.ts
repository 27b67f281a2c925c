// No lost updates: changes another client makes while the provider connects or
// reconnects — after the event token was taken but before the records were read,
// and after the records were read but before the live stream starts — reach the
// tree. The truth is the simulator's own store, not a second provider.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeId } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, TRANSPORTS } from './harness';

const NULL_REF = 'OpaqueRef:NULL';

describe.each(TRANSPORTS)('XenServer changes made while connecting, over %s', (transport) => {
  let sim: XapiSimulator;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 30, snapshots: 4 }, jsonRpc: transport === 'jsonrpc' });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  /** The guests as the simulator holds them: id → "name|state". */
  const guestsInSim = () => {
    const out = new Map<string, string>();
    for (const [ref, r] of sim.db.records('VM')) {
      if (r.is_a_template || r.is_a_snapshot || r.is_control_domain) continue;
      out.set(nodeId('s1', 'vm', ref), `${String(r.name_label)}|${String(r.power_state).toLowerCase()}`);
    }
    return out;
  };
  const guestsShown = (harness: Harness) =>
    new Map(harness.ofKind('vm').filter((n) => !n.controlDomain).map((n) => [n.id, `${n.name}|${n.state}`]));
  const converged = (harness: Harness) => {
    const want = guestsInSim();
    const have = guestsShown(harness);
    return want.size === have.size && [...want].every(([id, v]) => have.get(id) === v);
  };
  /** each change touches guests no earlier change touched, so every one can be checked */
  const touched = new Set<string>();
  const guestRefs = (state: string) =>
    [...sim.db.records('VM')]
      .filter(([ref, r]) => !touched.has(ref) && !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain && r.power_state === state)
      .map(([ref]) => ref);

  /** Another client's work: a rename, a running VM stopped, a VM gone, a VM born. */
  const changeBehindTheBack = (tag: string) => {
    const [renamed, removed] = guestRefs('Halted');
    const [stopped] = guestRefs('Running');
    sim.db.update('VM', renamed!, { name_label: `renamed ${tag}` });
    sim.db.update('VM', stopped!, { power_state: 'Halted', resident_on: NULL_REF });
    sim.db.remove('VM', removed!);
    const born = sim.db.add('VM', { name_label: `born ${tag}`, power_state: 'Halted', is_a_template: false });
    for (const ref of [renamed!, stopped!, born]) touched.add(ref);
    return { renamed: renamed!, stopped: stopped!, removed: removed!, born };
  };

  const expectChangesShown = (harness: Harness, c: ReturnType<typeof changeBehindTheBack>, tag: string) => {
    expect(harness.nodes.get(nodeId('s1', 'vm', c.renamed))?.name).toBe(`renamed ${tag}`);
    expect(harness.nodes.get(nodeId('s1', 'vm', c.stopped))?.state).toBe('halted');
    expect(harness.nodes.has(nodeId('s1', 'vm', c.removed))).toBe(false);
    expect(harness.nodes.get(nodeId('s1', 'vm', c.born))?.name).toBe(`born ${tag}`);
  };

  /** Connects while another client changes things right after the server answered `method`. */
  async function connectWhileChanging(method: string, tag: string): Promise<void> {
    let changes: ReturnType<typeof changeBehindTheBack> | undefined;
    sim.faults.afterAnswer(method, () => (changes = changeBehindTheBack(tag)));
    const harness = new Harness(sim, { transport });
    try {
      await harness.provider.connect();
      expect(changes, `a change after ${method}`).toBeDefined();
      await harness.until(() => converged(harness), 20_000, 'the tree to match the simulator');
      expectChangesShown(harness, changes!, tag);
    } finally {
      await harness.provider.disconnect();
    }
  }

  it('shows what changed after the records were read and before the stream went live', () => connectWhileChanging('VM.get_all_records', 'after load'));

  // the first event.from of a connect is the one that takes the token (token ""): the records come after it
  it('shows what changed after the event token was taken and before the records were read', () => connectWhileChanging('event.from', 'after token'));

  it('shows what changed while it was cut off and while it reloaded', async () => {
    const harness = new Harness(sim, { transport });
    try {
      await harness.provider.connect();
      await harness.until(() => converged(harness), 20_000, 'the first load to match the simulator');
      const statesBefore = harness.states.length;
      let duringReload: ReturnType<typeof changeBehindTheBack> | undefined;
      sim.faults.afterAnswer('VM.get_all_records', () => (duringReload = changeBehindTheBack('during reload')));
      sim.faults.dropConnections();
      const whileAway = changeBehindTheBack('while away');
      await harness.until(() => harness.states.slice(statesBefore).some((s) => s.state === 'connected'), 30_000, 'reconnected');
      expect(duringReload).toBeDefined();
      await harness.until(() => converged(harness), 20_000, 'the tree to match the simulator');
      expectChangesShown(harness, whileAway, 'while away');
      expectChangesShown(harness, duringReload!, 'during reload');
      // a re-open is a diff, never a second reset
      expect(harness.deltas.filter((d) => d.reset)).toHaveLength(1);
    } finally {
      await harness.provider.disconnect();
    }
  });
});
