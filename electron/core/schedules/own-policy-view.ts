// One of Polyvisor's own policies as the contract shows it: when it runs next,
// how its last run went, and a note that it runs from this computer.

import { localized } from '../../../shared/descriptor';
import type { PolicyDraft, PolicyRun, SnapshotPolicy } from '../../../shared/schedules';
import type { OwnPolicy } from './policy-store';
import type { ScheduleEnvironment } from './schedule-environment';
import { nextRunAfter } from './schedule-time';

/** The slot a policy's schedule counts from: its last run's slot, or when it was (re)scheduled. */
export function scheduleSince(policy: OwnPolicy, lastSlot: string | undefined): Date {
  const from = Date.parse(policy.scheduleFrom);
  const slot = lastSlot ? Date.parse(lastSlot) : NaN;
  return new Date(Number.isFinite(slot) && slot > from ? slot : from);
}

export function ownPolicyView(policy: OwnPolicy, env: ScheduleEnvironment, lastRun: PolicyRun | undefined, lastSlot: string | undefined): SnapshotPolicy {
  const view: SnapshotPolicy = { ...policy, runner: { kind: 'polyvisor' }, note: runsHereNote(policy.members, env) };
  delete (view as Partial<OwnPolicy>).createdAt;
  delete (view as Partial<OwnPolicy>).scheduleFrom;
  delete (view as Partial<OwnPolicy>).memberNames;
  if (lastRun) view.lastRun = { at: lastRun.finishedAt ?? lastRun.startedAt, outcome: lastRun.outcome, ...lastRunMessage(lastRun) };
  if (policy.enabled) {
    const next = nextRunAfter(policy.frequency, policy.timeZone, scheduleSince(policy, lastSlot));
    // a slot that passed without a run (the app was closed, no OS timer) runs at the next chance: now
    if (next) view.nextRun = new Date(Math.max(next.getTime(), env.now().getTime())).toISOString();
  }
  return view;
}

/** The draft an own policy was made from (for checking a change against it). */
export function ownPolicyDraft(policy: OwnPolicy): PolicyDraft {
  const { name, description, type, frequency, timeZone, retain, enabled, members } = policy;
  return { runner: { kind: 'polyvisor' }, name, description, type, frequency, timeZone, retain, enabled, members };
}

function lastRunMessage(run: PolicyRun): { message?: string } {
  const failed = run.items.filter((i) => i.error);
  if (failed.length === 0) return {};
  const first = failed[0].error!;
  const code = first.serverCode ? `${first.code} ${first.serverCode}` : first.code;
  return { message: `${failed.length} of ${run.items.length} failed; ${failed[0].name}: ${code}: ${first.message}` };
}

/** "Runs from this computer", and which member platforms cannot run a schedule themselves. */
export function runsHereNote(members: string[], env: ScheduleEnvironment): string {
  const platforms = new Set<string>();
  for (const id of members) {
    const serverId = env.node(id)?.serverId ?? id.split(':')[0];
    const descriptor = env.descriptorOf(serverId);
    if (descriptor && !descriptor.facets.serverPolicies) platforms.add(localized(descriptor.displayName, 'en'));
  }
  const why = platforms.size ? ` ${[...platforms].sort().join(', ')} ${platforms.size === 1 ? 'has' : 'have'} no snapshot schedules that Polyvisor can use.` : '';
  return `Runs from this computer: by Polyvisor while it is open, and by the OS timer ("polyvisor schedule install") while it is closed.${why}`;
}

/** The members' names as the inventory has them now; a member it does not show keeps the name it had. */
export function memberNamesOf(members: string[], env: ScheduleEnvironment, before?: OwnPolicy): string[] {
  return members.map((id) => env.node(id)?.name ?? before?.memberNames?.[before.members.indexOf(id)] ?? id.split(':').slice(2).join(':'));
}
