// What the Notifications view shows: alerts and server tasks filtered by server,
// severity (or status), object and period, newest first.
import { ALERT_SEVERITIES, severityRank, type Alert, type AlertSeverity, type ServerTask, type ServerTaskStatus } from '../../../shared/notifications';
import { POLYVISOR_ALERT_SOURCE } from '../../../shared/thresholds';

export const PERIODS = ['all', '1h', '1d', '7d'] as const;
export type Period = (typeof PERIODS)[number];

const PERIOD_MS: Record<Exclude<Period, 'all'>, number> = { '1h': 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000 };

export interface NotificationFilter {
  serverId: string;
  /** '' = every severity (alerts) or status (tasks) */
  level: '' | AlertSeverity | ServerTaskStatus;
  /** part of the object's name, any case */
  object: string;
  period: Period;
}

export const NO_FILTER: NotificationFilter = { serverId: '', level: '', object: '', period: 'all' };

function periodStart(period: Period, now: number): number {
  return period === 'all' ? -Infinity : now - PERIOD_MS[period];
}

function objectMatches(name: string | undefined, wanted: string): boolean {
  return !wanted.trim() || (name ?? '').toLocaleLowerCase().includes(wanted.trim().toLocaleLowerCase());
}

export function filterAlerts(alerts: Iterable<Alert>, filter: NotificationFilter, objectName: (a: Alert) => string | undefined, now = Date.now()): Alert[] {
  const from = periodStart(filter.period, now);
  return [...alerts]
    .filter(
      (a) =>
        (!filter.serverId || a.serverId === filter.serverId || (a.serverId === POLYVISOR_ALERT_SOURCE && !!a.nodeId?.startsWith(`${filter.serverId}:`))) &&
        (!filter.level || a.severity === filter.level) &&
        a.time >= from &&
        objectMatches(objectName(a), filter.object),
    )
    .sort((a, b) => b.time - a.time || severityRank(a.severity) - severityRank(b.severity));
}

export function filterTasks(tasks: Iterable<ServerTask>, filter: NotificationFilter, objectName: (t: ServerTask) => string | undefined, now = Date.now()): ServerTask[] {
  const from = periodStart(filter.period, now);
  return [...tasks]
    .filter(
      (t) =>
        (!filter.serverId || t.serverId === filter.serverId) &&
        (!filter.level || t.status === filter.level) &&
        (t.finishedAt ?? t.startedAt) >= from &&
        objectMatches(objectName(t) ?? t.what, filter.object),
    )
    .sort((a, b) => b.startedAt - a.startedAt);
}

export const SEVERITY_LEVELS: readonly AlertSeverity[] = ALERT_SEVERITIES;
export const TASK_LEVELS: readonly ServerTaskStatus[] = ['running', 'success', 'failure', 'cancelled', 'ended'];
