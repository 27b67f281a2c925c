// Live updates and reconnection: changes made through another session reach the
// provider as deltas; a restarted or dropped server is reconnected and resynced.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeId } from '../../../shared/model';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, otherSession, TRANSPORTS } from './harness';
import path from 'node:path';
import { XAPI_DB_DIR } from '../../shared-dir';

const DB = path.join(XAPI_DB_DIR, 'state1.xml');

describe.each(TRANSPORTS)('XenServer live inventory over %s', (transport) => {
  let sim: XapiSimulator;
  let harness: Harness;
  let other: Awaited<ReturnType<typeof otherSession>>;

  beforeAll(async () => {
    sim = await startXapiSimulator({ db: DB, taskDurationMs: 50 });
    harness = new Harness(sim, { transport });
    await harness.provider.connect();
    other = await otherSession(sim);
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  const guests = () => harness.ofKind('vm').filter((n) => !n.controlDomain);

  it('turns a rename by another session into an upsert', async () => {
    const vm = guests()[0]!;
    const before = harness.deltas.length;
    await other('VM.set_name_label', vm.nativeRef, 'renamed elsewhere');
    await harness.until(() => harness.nodes.get(vm.id)?.name === 'renamed elsewhere', 10_000, 'rename');
    const delta = harness.deltas.slice(before).find((d) => d.upsert.some((n) => n.id === vm.id))!;
    expect(delta.reset).toBeFalsy();
    // only what changed travels
    expect(delta.upsert.length).toBeLessThan(5);
  });

  it('shows a snapshot taken elsewhere and removes it when destroyed', async () => {
    const vm = guests()[0]!;
    const snapRef = (await other('VM.snapshot', vm.nativeRef, 'taken elsewhere')) as string;
    const snap = await harness.until(() => harness.byRef(snapRef), 10_000, 'snapshot');
    expect(snap.name).toBe('taken elsewhere');
    expect(snap.kind).toBe('snapshot');
    expect(snap.parentId).toBe(vm.id);
    await harness.until(() => harness.nodes.get(vm.id)?.currentSnapshotId === snap.id, 10_000, 'you-are-here');
    await other('VM.destroy', snapRef);
    await harness.until(() => !harness.byRef(snapRef), 10_000, 'snapshot removed');
  });

  it('follows a VM started elsewhere to its host', async () => {
    const halted = guests().find((n) => n.state === 'halted')!;
    await other('VM.start', halted.nativeRef, false, false);
    const moved = await harness.until(() => {
      const n = harness.nodes.get(halted.id);
      return n?.state === 'running' && n.parentId?.includes(':host:') && n;
    }, 10_000, 'VM running on a host');
    expect(harness.nodes.has(moved.parentId!)).toBe(true);
    await other('VM.hard_shutdown', halted.nativeRef);
    await harness.until(() => harness.nodes.get(halted.id)?.state === 'halted');
  });

  it('follows a VM that becomes a template and back: a new id, the old one gone, its snapshots move with it', async () => {
    const vm = guests().find((n) => n.state === 'halted')!;
    const snapRef = (await other('VM.snapshot', vm.nativeRef, 'before templating')) as string;
    await harness.until(() => harness.byRef(snapRef), 10_000, 'the snapshot');
    const templateId = nodeId('s1', 'template', vm.nativeRef);

    await other('VM.set_is_a_template', vm.nativeRef, true);
    await harness.until(() => harness.nodes.has(templateId) && !harness.nodes.has(vm.id), 10_000, 'the template');
    expect(sim.db.get('VM', vm.nativeRef)!.is_a_template).toBe(true);
    expect(harness.byRef(snapRef)?.parentId).toBe(templateId);
    expect(harness.byRef(snapRef)?.snapshot?.ofId).toBe(templateId);

    await other('VM.set_is_a_template', vm.nativeRef, false);
    await harness.until(() => harness.nodes.has(vm.id) && !harness.nodes.has(templateId), 10_000, 'the VM again');
    expect(harness.byRef(snapRef)?.parentId).toBe(vm.id);
    expect(harness.byRef(snapRef)?.snapshot?.ofId).toBe(vm.id);
    await other('VM.destroy', snapRef);
    await harness.until(() => !harness.byRef(snapRef), 10_000, 'the snapshot removed');
  });

  it('reconnects after a server restart and resyncs what changed meanwhile', async () => {
    const [first, second] = guests();
    const statesBefore = harness.states.length;
    const resetsBefore = harness.deltas.filter((d) => d.reset).length;
    const restarting = sim.restart();
    // while the provider is cut off: one VM disappears, one is renamed
    sim.db.update('VM', second!.nativeRef, { name_label: 'renamed while away' });
    sim.db.remove('VM', first!.nativeRef);
    await restarting;
    await harness.until(() => harness.states.slice(statesBefore).some((s) => s.state === 'connected'), 20_000, 'reconnected');
    const states = harness.states.slice(statesBefore).map((s) => s.state);
    expect(states[0]).toBe('reconnecting');
    expect(states.at(-1)).toBe('connected');
    expect(harness.nodes.has(first!.id)).toBe(false);
    expect(harness.nodes.get(second!.id)?.name).toBe('renamed while away');
    expect(harness.deltas.filter((d) => d.reset).length).toBe(resetsBefore);

    // what we hold equals what a fresh connection sees
    const fresh = new Harness(sim, { transport });
    await fresh.provider.connect();
    await fresh.provider.disconnect();
    expect(new Set(harness.nodes.keys())).toEqual(new Set(fresh.nodes.keys()));
    for (const [id, n] of fresh.nodes) expect(harness.nodes.get(id), id).toEqual(n);

    // and the event stream works again
    other = await otherSession(sim);
    await other('VM.set_name_label', second!.nativeRef, 'after restart');
    await harness.until(() => harness.nodes.get(second!.id)?.name === 'after restart', 10_000, 'event after restart');
  });

  it('reconnects after dropped connections', async () => {
    const statesBefore = harness.states.length;
    sim.faults.dropConnections();
    await harness.until(() => harness.states.slice(statesBefore).some((s) => s.state === 'connected'), 20_000, 'reconnected');
    expect(harness.states[statesBefore]!.state).toBe('reconnecting');
    expect(harness.states[statesBefore]!.error?.code).toBe('CONNECTION_FAILED');
  });

  it('resyncs when the server says events were lost', async () => {
    const statesBefore = harness.states.length;
    sim.faults.failNext('event.from', ['EVENTS_LOST']);
    // the failure hits the next poll: make one happen now
    await other('VM.set_name_label', guests()[0]!.nativeRef, 'poke');
    await harness.until(() => harness.states.slice(statesBefore).some((s) => s.state === 'connected'), 20_000, 'resynced');
    expect(harness.states[statesBefore]!.error?.serverCode).toBe('EVENTS_LOST');
    await harness.until(() => harness.nodes.get(guests()[0]!.id)?.name === 'poke');
  });

  it('disconnects promptly while a long poll is pending', async () => {
    await harness.provider.disconnect();
    // a provider whose long poll would last a minute: disconnect must not wait for it
    const polling = new Harness(sim, { transport, options: { eventTimeoutS: 60 } });
    await polling.provider.connect();
    await harness.until(() => sim.waitingPolls > 0, 20_000, 'the long poll to arrive');
    const started = Date.now();
    await polling.provider.disconnect();
    expect(Date.now() - started).toBeLessThan(20_000);
    const statesBefore = polling.states.length;
    // what a provider still running would do in this time: poll again or reconnect
    await new Promise((r) => setTimeout(r, 300));
    expect(polling.states.length).toBe(statesBefore);
  });
});
