// Threshold rules (issue 15, beyond XenCenter): conditions Polyvisor itself evaluates on
// the live data of any platform ("any VM over 90 % CPU for 5 minutes") and raises as
// Polyvisor alerts in the Notifications view. Kept in the profile (thresholds.json).

import type { AlertSeverity } from './notifications';
import type { NodeKind } from './model';

/** cpu: total CPU %; memory: used memory % of the total; diskFree: a storage's free space %. */
export const THRESHOLD_METRICS = ['cpu', 'memory', 'diskFree'] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];

export const THRESHOLD_COMPARISONS = ['above', 'below'] as const;
export type ThresholdComparison = (typeof THRESHOLD_COMPARISONS)[number];

export const THRESHOLD_TARGET_KINDS = ['vm', 'container', 'host', 'storage'] as const satisfies readonly NodeKind[];
export type ThresholdTargetKind = (typeof THRESHOLD_TARGET_KINDS)[number];

/** The kinds of item each metric exists for. */
export const METRIC_TARGET_KINDS: Record<ThresholdMetric, readonly ThresholdTargetKind[]> = {
  cpu: ['vm', 'container', 'host'],
  memory: ['vm', 'container', 'host'],
  diskFree: ['storage'],
};

export const THRESHOLD_SEVERITIES = ['critical', 'major', 'warning', 'minor', 'info'] as const satisfies readonly AlertSeverity[];
export type ThresholdSeverity = (typeof THRESHOLD_SEVERITIES)[number];

/** Which items a rule watches: everything, one server, the subtree of a pool/cluster/host, items with a tag, or one item. */
export type ThresholdScope =
  | { kind: 'all' }
  | { kind: 'server'; serverId: string }
  | { kind: 'subtree'; nodeId: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'node'; nodeId: string };

export const THRESHOLD_SCOPE_KINDS = ['all', 'server', 'subtree', 'tag', 'node'] as const satisfies ReadonlyArray<ThresholdScope['kind']>;

export interface ThresholdDraft {
  name: string;
  metric: ThresholdMetric;
  comparison: ThresholdComparison;
  /** the limit, in percent (0..100) */
  value: number;
  /** how long the condition must hold before the alert is raised; 0 = at the first reading */
  durationSeconds: number;
  scope: ThresholdScope;
  /** the kinds of item under the scope it watches; omitted = every kind the metric exists for */
  kinds?: ThresholdTargetKind[];
  severity: ThresholdSeverity;
  enabled?: boolean;
}

export interface ThresholdRule extends Required<ThresholdDraft> {
  /** `threshold:<uuid>` */
  id: string;
  createdAt: string;
}

/** The alert source of Polyvisor's own alerts (Alert.serverId): not a server, the app. */
export const POLYVISOR_ALERT_SOURCE = 'polyvisor';

/** What a threshold alert says, as data (the renderer words it in the UI's language). */
export interface ThresholdAlertFacts {
  ruleId: string;
  ruleName: string;
  metric: ThresholdMetric;
  comparison: ThresholdComparison;
  limit: number;
  durationSeconds: number;
  /** the reading that raised the alert, in percent */
  observed: number;
  /** epoch ms: when the condition began to hold */
  since: number;
}

/**
 * How far back past the limit a reading must go before a raised alert clears (hysteresis):
 * a tenth of the limit, at most 5 points — 90 % clears below 85 %, 10 % below 9 %.
 */
export function clearMargin(limit: number): number {
  return Math.min(5, Math.abs(limit) * 0.1);
}

/** The kinds a rule watches: its own choice narrowed to what the metric exists for. */
export function ruleKinds(rule: Pick<ThresholdDraft, 'metric' | 'kinds'>): ThresholdTargetKind[] {
  const possible = METRIC_TARGET_KINDS[rule.metric];
  return rule.kinds?.length ? possible.filter((k) => rule.kinds!.includes(k)) : [...possible];
}

const METRIC_WORDS: Record<ThresholdMetric, string> = { cpu: 'CPU', memory: 'Memory used', diskFree: 'Free space' };

/** "CPU above 90 % for 5 min", in English (the CLI, and an alert's text outside the UI). */
export function describeCondition(rule: Pick<ThresholdDraft, 'metric' | 'comparison' | 'value' | 'durationSeconds'>): string {
  const duration = rule.durationSeconds > 0 ? ` for ${formatSeconds(rule.durationSeconds)}` : '';
  return `${METRIC_WORDS[rule.metric]} ${rule.comparison} ${rule.value} %${duration}`;
}

/** 300 → "5 min", 90 → "90 s", 7200 → "2 h". */
export function formatSeconds(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
