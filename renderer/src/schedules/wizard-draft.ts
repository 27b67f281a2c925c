// The policy wizard's state: what the user has chosen so far, from a new policy's
// defaults or an existing policy, and the contract's PolicyDraft it becomes.
import type { PolicyDraft, PolicyFrequency, PolicyRunner, PolicySnapshotType, SnapshotPolicy, Weekday } from '../../../shared/schedules';
import { localTimeZone } from './frequency';
import type { DraftProblems } from './policy-rules';

export interface WizardDraft {
  name: string;
  description: string;
  members: string[];
  /** let the server run it when every member is on one server that can (otherwise Polyvisor runs it) */
  runOnServer: boolean;
  type: PolicySnapshotType;
  every: PolicyFrequency['every'];
  minute: number;
  hour: number;
  days: Weekday[];
  retain: number;
  enabled: boolean;
}

/** What each wizard page gets: the draft, a way to change it, and the problems to show on its fields. */
export interface StepProps {
  draft: WizardDraft;
  change: (changes: Partial<WizardDraft>) => void;
  /** problems shown on their fields (after Next or Finish was tried, or named by the core) */
  problems: DraftProblems;
}

export function newDraft(members: string[] = []): WizardDraft {
  return { name: '', description: '', members, runOnServer: true, type: 'disk', every: 'daily', minute: 0, hour: 1, days: ['mon'], retain: 7, enabled: true };
}

export function draftOf(policy: SnapshotPolicy): WizardDraft {
  const f = policy.frequency;
  return {
    name: policy.name,
    description: policy.description,
    members: [...policy.members],
    runOnServer: policy.runner.kind === 'server',
    type: policy.type,
    every: f.every,
    minute: f.minute,
    hour: f.every === 'hourly' ? 1 : f.hour,
    days: f.every === 'weekly' ? [...f.days] : ['mon'],
    retain: policy.retain,
    enabled: policy.enabled,
  };
}

export function frequencyOf(draft: WizardDraft): PolicyFrequency {
  switch (draft.every) {
    case 'hourly':
      return { every: 'hourly', minute: draft.minute };
    case 'daily':
      return { every: 'daily', hour: draft.hour, minute: draft.minute };
    case 'weekly':
      return { every: 'weekly', days: draft.days, hour: draft.hour, minute: draft.minute };
  }
}

/** The zone a policy's times are read in: the computer's for Polyvisor's own; the server's where it runs it, as its policies say (null until it has one). */
export function zoneFor(runner: PolicyRunner, policies: readonly SnapshotPolicy[]): string | null {
  if (runner.kind === 'polyvisor') return localTimeZone();
  return policies.find((p) => p.runner.kind === 'server' && p.runner.serverId === runner.serverId)?.timeZone ?? null;
}

/** What the wizard sets on a policy: everything but who runs it (fixed once it exists) and its zone. */
export function policyChangesOf(draft: WizardDraft): Omit<PolicyDraft, 'runner' | 'timeZone'> {
  return {
    name: draft.name.trim(),
    description: draft.description,
    type: draft.type,
    frequency: frequencyOf(draft),
    retain: draft.retain,
    enabled: draft.enabled,
    members: draft.members,
  };
}

/** What is sent to schedules:create: Polyvisor's own policies run in the computer's zone, a server's in its own. */
export function policyDraftOf(draft: WizardDraft, runner: PolicyRunner): PolicyDraft {
  return { runner, ...policyChangesOf(draft), ...(runner.kind === 'polyvisor' ? { timeZone: localTimeZone() } : {}) };
}
