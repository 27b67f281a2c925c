// Shared pieces of the snapshot-policy integration tests: a core whose policies run
// on a clock the test moves (no timer: the test calls runDue, as the OS timer
// would), servers added and trusted through the contract, and the scenario every
// Polyvisor-run platform goes through.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { PolicyRun, ServerDraft, ServerView, SnapshotPolicy } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { createAppCore, type PolyvisorCore } from '../../../electron/core/app-core';
import type { ProviderFactory } from '../../../electron/core/providers/provider';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-secret-store';
import { waitFor } from '../provider-mirror';

export { waitFor };

/** The clock policies run by: the test moves it. */
export class TestClock {
  constructor(private at: number) {}
  now = (): Date => new Date(this.at);
  set(iso: string): void {
    this.at = Date.parse(iso);
  }
}

export interface PolicyCore {
  core: PolyvisorCore;
  home: string;
  clock: TestClock;
  runs: PolicyRun[];
  close(): Promise<void>;
}

export async function startPolicyCore(providers: readonly ProviderFactory[], startAt: string): Promise<PolicyCore> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-policies-'));
  const clock = new TestClock(Date.parse(startAt));
  const core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers, inventoryBatchMs: 10, schedules: { now: clock.now, timerMs: 0 } });
  const runs: PolicyRun[] = [];
  core.on('schedule:run', (r) => runs.push(r));
  return {
    core,
    home,
    clock,
    runs,
    async close() {
      await core.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Adds a server, accepts the certificate it presents (when it has one) and connects. */
export async function addConnected(core: PolyvisorCore, draft: ServerDraft, fingerprint?: string): Promise<ServerView> {
  const server = await core.invoke('servers:add', { ...draft, rememberPassword: draft.password !== undefined });
  let view = await core.invoke('servers:connect', server.id);
  if (view.error?.code === 'CERT_UNTRUSTED' && fingerprint) view = await core.invoke('certs:accept', server.id, fingerprint);
  expect(view.state, JSON.stringify(view.error)).toBe('connected');
  return view;
}

export async function node(core: PolyvisorCore, test: (n: InventoryNode) => boolean, what: string): Promise<InventoryNode> {
  return waitFor(async () => (await core.invoke('inventory:get')).find(test), what, 30_000);
}

/** What the peer itself says about a VM's snapshots: names of the policy's, and of the others. */
export interface PeerSnapshots {
  policy: string[];
  other: string[];
}

/**
 * An hourly policy keeping 2, on one VM or container, with the clock moved three
 * hours, one hour at a time, and run-due at each: three runs, two policy snapshots
 * left on the peer, the user's snapshot untouched, every run in the history.
 */
export async function hourlyKeepTwo(pc: PolicyCore, vm: InventoryNode, readPeer: (policyId: string) => Promise<PeerSnapshots>): Promise<SnapshotPolicy> {
  const { core, clock } = pc;
  const [userTask] = await core.invoke('actions:run', { nodeIds: [vm.id], action: 'snapshot_create', params: { name: 'users-own', description: 'taken by hand' } });
  expect((await core.waitForTask(userTask.id)).status).toBe('success');

  clock.set('2025-03-10T09:50:00Z');
  const policy = await core.invoke('schedules:create', {
    runner: { kind: 'polyvisor' },
    name: 'Hourly keep two',
    type: 'disk',
    frequency: { every: 'hourly', minute: 0 },
    timeZone: 'UTC',
    retain: 2,
    members: [vm.id],
  });
  expect(policy).toMatchObject({ id: expect.stringMatching(/^polyvisor:/), runner: { kind: 'polyvisor' }, nextRun: '2025-03-10T10:00:00.000Z', enabled: true });
  expect(policy.note).toMatch(/runs from this computer/i);
  expect((await core.runDueSchedules()).runs).toEqual([]);

  const created: string[] = [];
  for (const hour of ['10', '11', '12']) {
    clock.set(`2025-03-10T${hour}:00:30Z`);
    const { runs } = await core.runDueSchedules();
    expect(runs, `the run at ${hour}:00`).toHaveLength(1);
    const [run] = runs;
    expect(run).toMatchObject({ policyId: policy.id, trigger: 'schedule', outcome: 'success' });
    expect(run.items).toHaveLength(1);
    expect(run.items[0].error, JSON.stringify(run.items[0].error)).toBeUndefined();
    created.push(run.items[0].created!);
    expect(run.items[0].pruned).toHaveLength(hour === '12' ? 1 : 0);
    // the same minute again: nothing is due
    expect((await core.runDueSchedules()).runs).toEqual([]);
  }

  // the peer's own view: the two newest policy snapshots, and the user's
  await waitFor(async () => (await readPeer(policy.id)).policy.length === 2 || undefined, 'two policy snapshots on the peer', 30_000);
  const onPeer = await readPeer(policy.id);
  expect(onPeer.policy).toHaveLength(2);
  expect(onPeer.other).toContain('users-own');
  const tree = await core.invoke('inventory:get');
  const kept = tree.filter((n) => n.kind === 'snapshot' && n.snapshot?.policyId === policy.id).map((n) => n.id);
  expect(kept.sort()).toEqual(created.slice(1).sort());
  expect(tree.some((n) => n.kind === 'snapshot' && n.name === 'users-own' && n.snapshot?.ofId === vm.id && !n.snapshot.policyId)).toBe(true);

  const history = await core.invoke('schedules:history', policy.id);
  expect(history.map((r) => [r.trigger, r.outcome, r.items[0].created])).toEqual(created.map((c) => ['schedule', 'success', c]).reverse());
  const listed = (await core.invoke('schedules:list')).find((p) => p.id === policy.id)!;
  expect(listed).toMatchObject({ lastRun: { outcome: 'success' }, nextRun: '2025-03-10T13:00:00.000Z' });
  return policy;
}

/** The VM is gone from the peer: the next run records the error the server gave. */
export async function errorRun(pc: PolicyCore, policy: SnapshotPolicy, at: string): Promise<PolicyRun> {
  pc.clock.set(at);
  const { runs } = await pc.core.runDueSchedules();
  expect(runs).toHaveLength(1);
  const [run] = runs;
  expect(run.outcome).toBe('failure');
  expect(run.items[0].created).toBeUndefined();
  expect((await pc.core.invoke('schedules:history', policy.id))[0]).toEqual(run);
  expect((await pc.core.invoke('schedules:list')).find((p) => p.id === policy.id)?.lastRun).toMatchObject({ outcome: 'failure', message: expect.stringContaining(run.items[0].error!.code) });
  return run;
}
