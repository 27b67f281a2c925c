// Snapshot policies (scheduled snapshots with retention), one model for every
// platform. Where the server can run a policy itself (XAPI: a VMSS object), the
// policy lives on the server and runs with Polyvisor closed; elsewhere it is
// Polyvisor's own: stored in the profile and run by the app, or by
// `polyvisor schedule run-due` from the OS scheduler when the app is closed.

import type { ErrorInfo } from './errors';

export type PolicySnapshotType = 'disk' | 'memory' | 'quiesce';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type PolicyFrequency =
  | { every: 'hourly'; minute: number }
  | { every: 'daily'; hour: number; minute: number }
  | { every: 'weekly'; days: Weekday[]; hour: number; minute: number };

/** Who runs the policy: the server itself (XAPI VMSS), or Polyvisor (the app, or the OS timer when it is closed). */
export type PolicyRunner = { kind: 'server'; serverId: string } | { kind: 'polyvisor' };

export type RunOutcome = 'running' | 'success' | 'partial' | 'failure';

export interface SnapshotPolicy {
  /** server policies: `${serverId}:policy:${nativeRef}`; Polyvisor's own: `polyvisor:${uuid}` */
  id: string;
  runner: PolicyRunner;
  name: string;
  description: string;
  type: PolicySnapshotType;
  frequency: PolicyFrequency;
  /** IANA zone the hours and minutes are in: the user's for Polyvisor's own; the server's where the server runs it ('UTC' when it does not say) */
  timeZone: string;
  /** how many of its own snapshots the policy keeps per VM; older ones it took are deleted, never a user's */
  retain: number;
  enabled: boolean;
  /** inventory node ids of the VMs and containers it snapshots */
  members: string[];
  lastRun?: { at: string; outcome: RunOutcome; message?: string };
  /** ISO time of the next run (absent when disabled) */
  nextRun?: string;
  /** what the runner cannot do here, in words (e.g. "runs from this computer: vCenter's scheduled tasks are not available") */
  note?: string;
}

export interface PolicyDraft {
  runner: PolicyRunner;
  name: string;
  description?: string;
  type: PolicySnapshotType;
  frequency: PolicyFrequency;
  /** Polyvisor's own policies: defaults to the computer's zone */
  timeZone?: string;
  retain: number;
  enabled?: boolean;
  members: string[];
}

/** One run of a policy: what it did to each member. */
export interface PolicyRun {
  id: string;
  policyId: string;
  policyName: string;
  trigger: 'schedule' | 'run-now' | 'catch-up';
  startedAt: string;
  finishedAt?: string;
  outcome: RunOutcome;
  items: PolicyRunItem[];
}

export interface PolicyRunItem {
  nodeId: string;
  name: string;
  /** the snapshot taken (node id) */
  created?: string;
  /** snapshots deleted by retention (node ids or names) */
  pruned: string[];
  error?: ErrorInfo;
}

/** The OS timer that runs Polyvisor's own policies while the app is closed. */
export interface RunnerStatus {
  /** 'systemd' (user timer), 'cron', 'launchd' (LaunchAgent), 'schtasks' (Task Scheduler) */
  mechanism: 'systemd' | 'cron' | 'launchd' | 'schtasks';
  installed: boolean;
  /** the files it wrote or would write */
  files: string[];
  /** the command the OS runs */
  command: string;
}

/** The marker Polyvisor writes into a snapshot it takes for a policy (description, label), so retention only ever deletes its own. */
export const POLICY_TAG_PREFIX = 'polyvisor-policy:';

export function policyTag(policyId: string): string {
  return `${POLICY_TAG_PREFIX}${policyId}`;
}

/** The policy id in a snapshot's description or label, if Polyvisor took it for a policy. */
export function policyIdIn(text: string | undefined | null): string | undefined {
  if (!text) return undefined;
  const at = text.lastIndexOf(POLICY_TAG_PREFIX);
  if (at === -1) return undefined;
  const id = /^[A-Za-z0-9:._-]+/.exec(text.slice(at + POLICY_TAG_PREFIX.length))?.[0];
  return id || undefined;
}
