// The schedules:* channels. One list of every policy: the ones connected servers
// run themselves (XAPI VMSS, through the provider's `policies` facet) and
// Polyvisor's own (the profile, run by the app or the OS timer). Each call goes
// to whichever runs the policy; the events schedule:changed / removed / run follow.

import { PolyvisorError, toErrorInfo } from '../../../shared/errors';
import type { PolicyDraft, PolicyRun, SnapshotPolicy } from '../../../shared/schedules';
import type { ServerPolicy } from '../providers/provider';
import { sameContent } from '../util/same-content';
import type { HistoryStore } from './history-store';
import type { OwnPolicyRunner } from './own-runner';
import { memberNamesOf, ownPolicyDraft, ownPolicyView } from './own-policy-view';
import { deleteSnapshotsTakenBy, runsFromSnapshots } from './policy-snapshots';
import { isOwnPolicyId, type OwnPolicy, type OwnPolicyStore } from './policy-store';
import { checkPolicy } from './policy-validation';
import type { ScheduleEnvironment } from './schedule-environment';
import { localTimeZone } from './schedule-time';
import { listServerPolicies, parseServerPolicyId, ServerPolicyFeed, toServerChanges, toServerDraft, toSnapshotPolicy } from './server-policies';

export interface SchedulesEvents {
  changed(policy: SnapshotPolicy): void;
  removed(id: string): void;
  run(run: PolicyRun): void;
}

export class SchedulesService {
  private readonly feed: ServerPolicyFeed;

  constructor(
    private readonly env: ScheduleEnvironment,
    private readonly policies: OwnPolicyStore,
    private readonly history: HistoryStore,
    private readonly runner: OwnPolicyRunner,
    private readonly events: SchedulesEvents,
  ) {
    this.feed = new ServerPolicyFeed(env, events);
  }

  async list(): Promise<SnapshotPolicy[]> {
    const own = await Promise.all((await this.policies.list()).map((p) => this.view(p)));
    return [...listServerPolicies(this.env), ...own];
  }

  async create(draft: PolicyDraft): Promise<SnapshotPolicy> {
    checkPolicy(draft, this.env);
    if (draft.runner.kind === 'server') {
      const { serverId } = draft.runner;
      const facet = this.facet(serverId);
      const ref = await facet.create(toServerDraft(serverId, draft));
      return this.serverPolicy(serverId, ref);
    }
    const { runner: _runner, ...fields } = draft;
    const policy = await this.policies.add(
      { ...fields, description: draft.description ?? '', timeZone: draft.timeZone ?? localTimeZone(), enabled: draft.enabled ?? true, memberNames: memberNamesOf(draft.members, this.env) },
      this.env.now(),
    );
    return this.changed(policy);
  }

  async update(id: string, changes: Partial<PolicyDraft>): Promise<SnapshotPolicy> {
    if (changes.runner && changes.runner.kind !== (isOwnPolicyId(id) ? 'polyvisor' : 'server')) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'A policy cannot move between a server and Polyvisor: make a new one.', field: 'runner' });
    }
    if (isOwnPolicyId(id)) return this.updateOwn(id, changes);
    const { serverId, nativeRef, current } = this.serverPolicyOf(id);
    if (changes.runner?.kind === 'server' && changes.runner.serverId !== serverId) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'A policy cannot move to another server: make a new one there.', field: 'runner' });
    }
    if (changes.timeZone !== undefined && changes.timeZone !== current.timeZone) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${this.env.serverName(serverId)} reads its schedules in its own time zone (${current.timeZone}).`, field: 'timeZone' });
    }
    const before = serverPolicyDraft(serverId, current, this.env);
    checkPolicy({ ...before, ...changes, runner: before.runner }, this.env, before);
    await this.facet(serverId).update(nativeRef, toServerChanges(serverId, changes));
    return this.serverPolicy(serverId, nativeRef);
  }

  async delete(id: string, options: { deleteSnapshots?: boolean } = {}): Promise<void> {
    if (isOwnPolicyId(id)) {
      const policy = await this.policies.require(id);
      if (options.deleteSnapshots) {
        const { release } = await this.env.connect(this.serverIdsOf(policy.members));
        try {
          await deleteSnapshotsTakenBy(id, this.env);
        } finally {
          await release();
        }
      }
      await this.policies.remove(id);
      await this.history.forget(id);
      this.events.removed(id);
      return;
    }
    const { serverId, nativeRef } = this.serverPolicyOf(id);
    if (options.deleteSnapshots) await deleteSnapshotsTakenBy(id, this.env);
    const facet = this.facet(serverId);
    await facet.destroy(nativeRef);
    this.serverPoliciesChanged(serverId, facet.list());
    await this.history.forget(id);
  }

  async runNow(id: string): Promise<PolicyRun> {
    if (isOwnPolicyId(id)) return this.runner.runNow(await this.policies.require(id));
    const { serverId, nativeRef, current } = this.serverPolicyOf(id);
    const run: PolicyRun = {
      id: `${id}@run-now:${this.env.now().toISOString()}`,
      policyId: id,
      policyName: current.name,
      trigger: 'run-now',
      startedAt: this.env.now().toISOString(),
      outcome: 'running',
      items: current.memberRefs.map((ref) => {
        const nodeId = `${serverId}:vm:${ref}`;
        return { nodeId, name: this.env.node(nodeId)?.name ?? ref, pruned: [] };
      }),
    };
    this.events.run(run);
    try {
      await this.facet(serverId).runNow(nativeRef);
      run.outcome = 'success';
    } catch (e) {
      run.outcome = 'failure';
      const error = toErrorInfo(e);
      for (const item of run.items) item.error = error;
    }
    run.finishedAt = this.env.now().toISOString();
    await this.history.record(run);
    this.events.run(run);
    return run;
  }

  async runHistory(id: string): Promise<PolicyRun[]> {
    const recorded = await this.history.runs(id);
    if (isOwnPolicyId(id)) {
      await this.policies.require(id);
      return recorded;
    }
    const { current } = this.serverPolicyOf(id);
    return runsFromSnapshots(id, current.name, this.env, recorded);
  }

  /** A connected server's whole list of policies (its provider's `policies` event; empty on disconnect). */
  serverPoliciesChanged(serverId: string, policies: ServerPolicy[]): void {
    this.feed.update(serverId, policies);
  }

  /** Another process (the CLI) changed schedules.json. */
  async ownPoliciesChangedOutside(before: OwnPolicy[], after: OwnPolicy[]): Promise<void> {
    const ids = new Set(after.map((p) => p.id));
    const previous = new Map(before.map((p) => [p.id, p]));
    for (const p of before) if (!ids.has(p.id)) this.events.removed(p.id);
    for (const p of after) if (!sameContent(previous.get(p.id), p)) this.events.changed(await this.view(p));
  }

  /** A run finished: its policy's last and next run changed. */
  async runFinished(run: PolicyRun): Promise<void> {
    const policy = isOwnPolicyId(run.policyId) ? await this.policies.get(run.policyId) : undefined;
    if (policy) this.events.changed(await this.view(policy));
  }

  private async updateOwn(id: string, changes: Partial<PolicyDraft>): Promise<SnapshotPolicy> {
    const current = await this.policies.require(id);
    const before = ownPolicyDraft(current);
    const { runner: _runner, ...fields } = changes;
    checkPolicy({ ...before, ...fields }, this.env, before);
    const now = this.env.now().toISOString();
    const updated = await this.policies.update(id, (p) => {
      const next: OwnPolicy = { ...p, ...dropUndefined(fields) };
      next.memberNames = memberNamesOf(next.members, this.env, p);
      // a new schedule, or one switched back on, starts now: slots before it are not "missed"
      const retimed = JSON.stringify([p.frequency, p.timeZone]) !== JSON.stringify([next.frequency, next.timeZone]);
      if (retimed || (!p.enabled && next.enabled)) next.scheduleFrom = now;
      return next;
    });
    return this.changed(updated);
  }

  private async changed(policy: OwnPolicy): Promise<SnapshotPolicy> {
    const view = await this.view(policy);
    this.events.changed(view);
    return view;
  }

  private async view(policy: OwnPolicy): Promise<SnapshotPolicy> {
    const [lastRun, slots] = await Promise.all([this.history.lastRun(policy.id), this.history.lastSlots()]);
    return ownPolicyView(policy, this.env, lastRun, slots.get(policy.id));
  }

  private facet(serverId: string) {
    const facet = this.env.serverPolicies(serverId);
    if (!facet) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${this.env.serverName(serverId)} is not connected, or does not run snapshot policies itself.` });
    return facet;
  }

  private serverPolicyOf(id: string): { serverId: string; nativeRef: string; current: ServerPolicy } {
    const parsed = parseServerPolicyId(id);
    if (!parsed) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No snapshot policy with id ${JSON.stringify(id)}.` });
    const current = this.facet(parsed.serverId)
      .list()
      .find((p) => p.nativeRef === parsed.nativeRef);
    if (!current) throw new PolyvisorError({ code: 'NOT_FOUND', message: `${this.env.serverName(parsed.serverId)} has no snapshot policy ${parsed.nativeRef} (any more).` });
    return { ...parsed, current };
  }

  /** The policy as the server lists it now (the provider's event may come later: the feed is told at once). */
  private serverPolicy(serverId: string, nativeRef: string): SnapshotPolicy {
    const list = this.facet(serverId).list();
    this.serverPoliciesChanged(serverId, list);
    const policy = list.find((p) => p.nativeRef === nativeRef);
    if (!policy) throw new PolyvisorError({ code: 'INTERNAL', message: `${this.env.serverName(serverId)} did not list the policy ${nativeRef} after the change.` });
    return toSnapshotPolicy(serverId, policy, this.env);
  }

  private serverIdsOf(members: string[]): string[] {
    return [...new Set(members.map((id) => this.env.node(id)?.serverId ?? id.split(':')[0]))];
  }
}

function serverPolicyDraft(serverId: string, p: ServerPolicy, env: ScheduleEnvironment): PolicyDraft {
  const view = toSnapshotPolicy(serverId, p, env);
  return { runner: view.runner, name: view.name, description: view.description, type: view.type, frequency: view.frequency, retain: view.retain, enabled: view.enabled, members: view.members };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
