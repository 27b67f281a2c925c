// The provider's server-policy facet against the simulator's VMSS, on both
// transports: every operation read back from the simulator's store, xapi's
// refusals passed on with its code, the list kept live through event.from and
// emitted whole when it changes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError, type PolyvisorError } from '../../../shared/errors';
import type { ServerPolicy, ServerPolicyDraft } from '../../../electron/core/providers/provider';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { Harness, otherSession, TRANSPORTS } from './harness';

describe.each(TRANSPORTS)('XenServer snapshot schedules over %s', (transport) => {
  let sim: XapiSimulator;
  let harness: Harness;
  let vms: string[];

  const policies = () => harness.provider.policies!;
  const stored = (ref: string) => sim.db.get('VMSS', ref);
  const latest = () => harness.policyLists.at(-1) ?? [];
  const emitted = (ref: string, check: (p: ServerPolicy) => boolean = () => true) =>
    harness.until(() => latest().find((p) => p.nativeRef === ref && check(p)), 10_000, `policy ${ref} in the emitted list`);
  const draft = (over: Partial<ServerPolicyDraft> = {}): ServerPolicyDraft => ({
    name: 'nightly',
    description: 'keeps a week',
    type: 'disk',
    frequency: { every: 'daily', hour: 2, minute: 30 },
    retain: 7,
    enabled: true,
    memberRefs: [],
    ...over,
  });
  const refusal = async (work: Promise<unknown>) => {
    const err = (await work.then(
      () => undefined,
      (e: unknown) => e,
    )) as PolyvisorError;
    expect(isPolyvisorError(err, 'SERVER_ERROR'), String(err)).toBe(true);
    return [err.info.serverCode, ...(err.info.serverParams ?? [])];
  };

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 1, vms: 5, snapshots: 0 }, taskDurationMs: 40, jsonRpc: transport === 'jsonrpc', timeZone: 'Asia/Shanghai' });
    harness = new Harness(sim, { transport });
    await harness.provider.connect();
    vms = [...sim.db.records('VM')].filter(([, r]) => !r.is_a_template && !r.is_control_domain).map(([ref]) => ref);
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('says the server runs schedules in the master\'s zone (UTC+8 here), an empty list at first', async () => {
    await harness.until(() => harness.policyLists.length > 0, 10_000, 'a first list');
    expect(latest()).toEqual([]);
    const ref = await policies().create(draft({ name: 'zone' }));
    expect((await emitted(ref)).timeZone).toBe('Etc/GMT-8');
    await policies().destroy(ref);
  });

  it('creates a schedule with its members: a VMSS in the store, each VM assigned to it', async () => {
    const ref = await policies().create(draft({ memberRefs: [vms[0]!, vms[1]!] }));
    expect(stored(ref)).toMatchObject({
      name_label: 'nightly',
      name_description: 'keeps a week',
      type: 'snapshot',
      frequency: 'daily',
      schedule: { hour: '2', min: '30' },
      retained_snapshots: 7,
      enabled: true,
    });
    expect(sim.db.get('VM', vms[0]!)!.snapshot_schedule).toBe(ref);
    expect(sim.db.get('VM', vms[1]!)!.snapshot_schedule).toBe(ref);
    // listed as soon as the call returns: the core reads the list right after a change
    expect(policies().list().find((p) => p.nativeRef === ref)).toMatchObject({ name: 'nightly', memberRefs: [vms[0], vms[1]] });
    const shown = await emitted(ref, (p) => p.memberRefs.length === 2);
    expect(shown).toMatchObject({ name: 'nightly', type: 'disk', frequency: { every: 'daily', hour: 2, minute: 30 }, retain: 7, enabled: true });
    expect(shown.lastRunAt).toBeUndefined();
    expect(policies().list().find((p) => p.nativeRef === ref)).toEqual(shown);
  });

  it('updates every part: name, description, type, frequency to weekly, retention, members, enabled', async () => {
    const ref = await policies().create(draft({ name: 'to change', memberRefs: [vms[2]!] }));
    await policies().update(ref, {
      name: 'weekly',
      description: 'twice a week',
      type: 'memory',
      frequency: { every: 'weekly', days: ['tue', 'fri'], hour: 23, minute: 45 },
      retain: 3,
      memberRefs: [vms[3]!],
      enabled: false,
    });
    expect(stored(ref)).toMatchObject({
      name_label: 'weekly',
      name_description: 'twice a week',
      type: 'checkpoint',
      frequency: 'weekly',
      schedule: { days: 'Tuesday,Friday', hour: '23', min: '45' },
      retained_snapshots: 3,
      enabled: false,
      VMs: [vms[3]],
    });
    expect(policies().list().find((p) => p.nativeRef === ref)).toMatchObject({ name: 'weekly', type: 'memory', retain: 3, enabled: false, memberRefs: [vms[3]] });
    expect(sim.db.get('VM', vms[2]!)!.snapshot_schedule).toBe('OpaqueRef:NULL');
    await emitted(ref, (p) => p.name === 'weekly' && !p.enabled && p.memberRefs.join() === vms[3] && p.frequency.every === 'weekly');
    // and back to hourly: the days and hour go
    await policies().update(ref, { frequency: { every: 'hourly', minute: 15 } });
    expect(stored(ref)).toMatchObject({ frequency: 'hourly', schedule: { min: '15' } });
    expect(Object.keys(stored(ref)!.schedule as object)).toEqual(['min']);
    await policies().destroy(ref);
  });

  it('passes on xapi\'s refusals with its code, changing nothing', async () => {
    const before = sim.db.records('VMSS').size;
    expect(await refusal(policies().create(draft({ frequency: { every: 'hourly', minute: 7 } })))).toEqual(['INVALID_VALUE', 'schedule:min', '7']);
    expect(await refusal(policies().create(draft({ retain: 11 })))).toEqual(['INVALID_VALUE', 'retained_snapshots', '11']);
    expect(await refusal(policies().create(draft({ type: 'quiesce' })))).toEqual(['LICENCE_RESTRICTION', 'VSS']);
    // a template cannot be a member: the half-made schedule is removed again
    const template = [...sim.db.records('VM')].find(([, r]) => r.is_a_template)![0];
    expect(await refusal(policies().create(draft({ memberRefs: [vms[4]!, template] })))).toEqual(['VM_IS_TEMPLATE', template]);
    expect(sim.db.records('VMSS').size).toBe(before);
    expect(sim.db.get('VM', vms[4]!)!.snapshot_schedule).toBe('OpaqueRef:NULL');
    // an update with a minute xapi refuses leaves the schedule as it was
    const ref = await policies().create(draft({ name: 'stays' }));
    expect(await refusal(policies().update(ref, { frequency: { every: 'hourly', minute: 20 } }))).toEqual(['INVALID_VALUE', 'schedule:min', '20']);
    expect(stored(ref)).toMatchObject({ frequency: 'daily', schedule: { hour: '2', min: '30' } });
    expect(await refusal(policies().update(ref, { retain: 0 }))).toEqual(['INVALID_VALUE', 'retained_snapshots', '0']);
    await policies().destroy(ref);
    expect(await refusal(policies().destroy(ref))).toEqual(['HANDLE_INVALID', 'VMSS', ref]);
  });

  it('deletes a schedule with members: they are unassigned first (xapi refuses VMSS_HAS_VM)', async () => {
    const ref = await policies().create(draft({ name: 'doomed', memberRefs: [vms[0]!] }));
    await emitted(ref);
    await policies().destroy(ref);
    expect(policies().list().some((p) => p.nativeRef === ref)).toBe(false);
    expect(stored(ref)).toBeUndefined();
    expect(sim.db.get('VM', vms[0]!)!.snapshot_schedule).toBe('OpaqueRef:NULL');
    await harness.until(() => !latest().some((p) => p.nativeRef === ref), 10_000, 'the schedule gone from the list');
  });

  it('runs a schedule now: schedule snapshots in the store, marked with the policy in the tree, the last run shown', async () => {
    const ref = await policies().create(draft({ name: 'run me', memberRefs: [vms[1]!] }));
    await policies().runNow(ref);
    const taken = (sim.db.get('VM', vms[1]!)!.snapshots as string[]).filter((s) => sim.db.get('VM', s)!.is_vmss_snapshot);
    expect(taken.length).toBeGreaterThan(0);
    const node = await harness.until(() => (harness.byRef(taken.at(-1)!)?.snapshot?.policyId ? harness.byRef(taken.at(-1)!) : undefined), 10_000, 'the snapshot node with its policy');
    expect(node.snapshot).toMatchObject({ policyId: `s1:policy:${ref}`, policyName: 'run me' });
    expect((await emitted(ref, (p) => p.lastRunAt !== undefined)).lastRunAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // renamed by another client: the name follows on its snapshots
    sim.db.set('VMSS', ref, 'name_label', 'renamed elsewhere');
    await harness.until(() => harness.byRef(taken.at(-1)!)?.snapshot?.policyName === 'renamed elsewhere', 10_000, 'the new name on the snapshot');
    await emitted(ref, (p) => p.name === 'renamed elsewhere');
    await policies().destroy(ref);
  });
});

describe('a schedule the simulator runs on its own clock', () => {
  let sim: XapiSimulator;
  let harness: Harness;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 1, vms: 4, snapshots: 0 }, taskDurationMs: 40 });
    harness = new Harness(sim);
    await harness.provider.connect();
  });
  afterAll(async () => {
    await harness?.provider.disconnect();
    await sim?.stop();
  });

  it('hourly, keeping 2, for two VMs; the clock moved 3 hours: exactly 2 policy snapshots per VM, user snapshots untouched', async () => {
    const [a, b] = [...sim.db.records('VM')].filter(([, r]) => !r.is_a_template && !r.is_control_domain && r.power_state === 'Running').map(([ref]) => ref);
    const call = await otherSession(sim);
    const mine = (await call('VM.snapshot', a, 'my own')) as string;
    expect(harness.provider.policies!.list()).toEqual([]);
    const ref = await harness.provider.policies!.create({
      name: 'hourly',
      description: '',
      type: 'disk',
      frequency: { every: 'hourly', minute: 0 },
      retain: 2,
      enabled: true,
      memberRefs: [a!, b!],
    });
    sim.clock.advance(3 * 3_600_000);
    const policyId = `s1:policy:${ref}`;
    for (const vm of [a!, b!]) {
      const own = (sim.db.get('VM', vm)!.snapshots as string[]).filter((s) => sim.db.get('VM', s)!.is_vmss_snapshot);
      expect(own).toHaveLength(2);
      const shown = await harness.until(
        () => {
          const marked = harness.ofKind('snapshot').filter((n) => n.snapshot?.ofId === `s1:vm:${vm}` && n.snapshot.policyId === policyId);
          return marked.length === 2 && marked.every((n) => own.includes(n.nativeRef)) && marked;
        },
        15_000,
        `two policy snapshots of ${vm} in the tree`,
      );
      expect(shown.every((n) => n.snapshot!.policyName === 'hourly')).toBe(true);
    }
    expect(sim.db.get('VM', mine)).toMatchObject({ name_label: 'my own', is_vmss_snapshot: false });
    expect(harness.byRef(mine)!.snapshot!.policyId).toBeUndefined();
  });
});
