// A Proxmox VE cluster's log (GET /cluster/log: pmxcfs's clusterlog of every node's
// daemons) in the Notifications view: entries at error priority or worse (syslog pri
// 0–3: HA fencing, corosync, a failing storage) become alerts, the rest events. The
// lines pvedaemon writes when a worker task starts or ends are left out: the task
// itself is in the list (GET /cluster/tasks), with its status.

import { alertId, serverTaskId, type Alert, type AlertSeverity, type ServerTask } from '../../../../shared/notifications';

/** One entry as PVE sends it. */
export interface PveLogEntry {
  uid: number;
  /** Unix seconds */
  time: number;
  node: string;
  pid: number;
  user: string;
  tag: string;
  /** syslog priority: 0 emerg, 1 alert, 2 crit, 3 err, 4 warning, 5 notice, 6 info, 7 debug */
  pri: number;
  msg: string;
}

/** How many entries each poll asks for (PVE's own default is 50). */
export const CLUSTER_LOG_MAX = 100;

const TASK_LINE = /^<[^>]*> (?:starting|end) task UPID:/;

/** The well-formed entries; anything else is skipped (a log line is never worth failing a poll). */
export function readClusterLog(data: unknown): PveLogEntry[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((e: Record<string, unknown>) => {
    if (!e || typeof e !== 'object' || typeof e.uid !== 'number' || typeof e.time !== 'number' || typeof e.msg !== 'string') return [];
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return [{ uid: e.uid, time: e.time, node: text(e.node), pid: typeof e.pid === 'number' ? e.pid : 0, user: text(e.user), tag: text(e.tag), pri: typeof e.pri === 'number' ? e.pri : 6, msg: e.msg }];
  });
}

/** pmxcfs numbers entries from 1 at its start: the node and time keep a ref unique across restarts. */
export function logRef(e: PveLogEntry): string {
  return `log:${e.node}:${e.uid}:${e.time}`;
}

function severityOf(pri: number): AlertSeverity {
  return pri <= 2 ? 'critical' : 'major';
}

/** The entries as the Notifications view shows them. */
export function logItems(serverId: string, entries: PveLogEntry[]): { alerts: Alert[]; events: ServerTask[] } {
  const alerts: Alert[] = [];
  const events: ServerTask[] = [];
  for (const e of entries) {
    if (TASK_LINE.test(e.msg)) continue;
    const ref = logRef(e);
    const time = e.time * 1000;
    if (e.pri <= 3) {
      alerts.push({ id: alertId(serverId, ref), serverId, nativeRef: ref, objectName: e.node, severity: severityOf(e.pri), name: e.tag || 'cluster log', title: e.msg, body: [e.tag, e.user ? `by ${e.user}` : ''].filter(Boolean).join(', '), time, dismissable: false });
    } else {
      events.push({ id: serverTaskId(serverId, ref), serverId, nativeRef: ref, kind: 'event', what: `${e.tag}: ${e.msg}`, ...(e.user ? { user: e.user } : {}), objectName: e.node, status: 'success', startedAt: time, finishedAt: time });
    }
  }
  return { alerts, events };
}
