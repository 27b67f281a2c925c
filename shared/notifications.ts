// The Notifications view (issue 15): what the servers themselves say happened —
// alerts (XAPI messages, vSphere warning/error events, Proxmox failed tasks, Docker
// die/oom/unhealthy events) and every task or event on a server, by anyone.
// Polyvisor's own tasks stay TaskInfo (contract.ts).

import type { LocalizedText } from './descriptor';
import type { ThresholdAlertFacts } from './thresholds';

/**
 * How urgent an alert is, in XenCenter's five priorities (XAPI message.priority):
 * 1 data loss imminent, 2 service loss imminent, 3 service degraded, 4 service
 * recovered, 5 informational; anything else is unknown and sorts last.
 */
export const ALERT_SEVERITIES = ['critical', 'major', 'warning', 'minor', 'info', 'unknown'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface Alert {
  /** `${serverId}:alert:${nativeRef}` */
  id: string;
  serverId: string;
  /** the server's own handle (XAPI message ref, Docker event id, Proxmox UPID, vSphere event key) */
  nativeRef: string;
  /** the inventory node the alert is about, when the server names one Polyvisor shows */
  nodeId?: string;
  /** the object as the server names it (shown when there is no node, e.g. a deleted VM) */
  objectName?: string;
  severity: AlertSeverity;
  /** the server's code for the kind of alert (VM_CRASHED, ALARM, oom, …) */
  name: string;
  /** one line in words */
  title: string;
  body: string;
  /** epoch ms, as the server stamped it */
  time: number;
  /** the server can delete it (XAPI message.destroy); elsewhere it stays until the server forgets it */
  dismissable: boolean;
  /** a Polyvisor alert (serverId POLYVISOR_ALERT_SOURCE) raised by a threshold rule: what it measured */
  threshold?: ThresholdAlertFacts;
}

export type ServerTaskStatus = 'running' | 'success' | 'failure' | 'cancelled' | 'ended';

/** A task or event on a server, whoever started it. */
export interface ServerTask {
  /** `${serverId}:stask:${nativeRef}` */
  id: string;
  serverId: string;
  nativeRef: string;
  /** 'event': a moment (Docker start, vSphere event); 'task': has a duration and maybe progress */
  kind: 'task' | 'event';
  /** what, as the server names it (Async.VM.start, qmstart, container start) */
  what: string;
  /** who started it, when the server says (Proxmox user, vSphere userName) */
  user?: string;
  nodeId?: string;
  objectName?: string;
  /** 0..1, where the server reports progress */
  progress?: number;
  /** 'ended': the server forgot it before saying how it ended */
  status: ServerTaskStatus;
  /** epoch ms */
  startedAt: number;
  finishedAt?: number;
  error?: { code: string; message: string };
}

/** What a platform tells about itself (descriptor facet `notifications`). */
export interface NotificationsFacet {
  /** the server raises alerts Polyvisor can read */
  alerts: boolean;
  /** alerts can be deleted on the server (XAPI message.destroy) */
  dismiss: boolean;
  /** tasks and events of everyone on the server */
  serverTasks: boolean;
  /** tasks carry who started them */
  taskUsers: boolean;
  /** what the platform (or its simulator) lacks, in words */
  note?: LocalizedText;
}

export interface AlertQuery {
  serverId?: string;
  /** epoch ms: only alerts stamped at or after it */
  since?: number;
}

export interface ServerTaskQuery {
  serverId?: string;
  since?: number;
}

/** Changes to one server's alerts or tasks; `reset` replaces everything the server had. */
export interface NotificationDelta<T> {
  serverId: string;
  reset?: boolean;
  upsert: T[];
  remove: string[];
}

export interface DismissOutcome {
  dismissed: string[];
  /** per alert that stayed: why (not dismissable there, server refused, not connected) */
  failed: Array<{ id: string; code: string; message: string }>;
}

export function alertId(serverId: string, nativeRef: string): string {
  return `${serverId}:alert:${nativeRef}`;
}

export function serverTaskId(serverId: string, nativeRef: string): string {
  return `${serverId}:stask:${nativeRef}`;
}

/** XenCenter's mapping of XAPI message priorities. */
export function severityOfPriority(priority: number): AlertSeverity {
  return ALERT_SEVERITIES[priority - 1] && priority >= 1 && priority <= 5 ? ALERT_SEVERITIES[priority - 1] : 'unknown';
}

/** Sort rank: critical first, unknown last (as XenCenter sorts priorities). */
export function severityRank(severity: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(severity);
}
