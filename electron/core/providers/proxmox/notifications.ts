// A Proxmox VE cluster's tasks, by anyone, and its failed tasks as alerts: read from
// GET /cluster/tasks on every poll (the session reads it anyway for snapshot tasks).
// PVE keeps no alert objects: a failed task cannot be dismissed, it leaves the list as
// newer tasks push it out. The cluster log (/cluster/log, cluster-log.ts): errors are
// alerts (they cannot be dismissed either), the rest events.

import { alertId, serverTaskId, type NotificationsFacet, type ServerTask, type ServerTaskStatus } from '../../../../shared/notifications';
import { NotificationFeed } from '../common/notification-feed';
import { logItems, logRef, type PveLogEntry } from './cluster-log';

export const PROXMOX_NOTIFICATIONS_FACET: NotificationsFacet = {
  alerts: true,
  dismiss: false,
  serverTasks: true,
  taskUsers: true,
  note: {
    en: "Proxmox VE's alerts are its failed tasks and the cluster log's errors: they cannot be dismissed and leave as newer entries push them out.",
    'zh-CN': 'Proxmox VE 的警报即其失败的任务和集群日志中的错误：无法忽略，会随着新条目将其挤出而消失。',
  },
};

/** One entry of GET /cluster/tasks as the Notifications view reads it. */
export interface PveTaskEntry {
  upid: string;
  node: string;
  type: string;
  id: string;
  user: string;
  starttime: number;
  endtime?: number;
  /** 'running', or the exit status: OK, WARNINGS: n, or the error */
  status: string;
}

/** The entries with a upid and a start time; others are skipped (the snapshot reader judges the answer's shape). */
export function readPveTasks(data: unknown): PveTaskEntry[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((e: Record<string, unknown>) => {
    if (!e || typeof e !== 'object' || typeof e.upid !== 'string' || typeof e.starttime !== 'number') return [];
    const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
    return [
      {
        upid: e.upid,
        node: text(e.node),
        type: text(e.type),
        id: text(e.id),
        user: text(e.user),
        starttime: e.starttime,
        ...(typeof e.endtime === 'number' ? { endtime: e.endtime } : {}),
        status: text(e.status) || (typeof e.endtime === 'number' ? 'unknown' : 'running'),
      },
    ];
  });
}

export class ProxmoxNotifications {
  readonly feed: NotificationFeed;
  /** what each task looked like at the last poll: only changes travel */
  private readonly last = new Map<string, string>();
  /** the cluster log entries already handed on */
  private logSeen = new Set<string>();

  constructor(
    private readonly serverId: string,
    /** the guest a task's id (vmid) names, as the tree shows it */
    private readonly guestOf: (vmid: string) => { nodeId: string; name: string } | undefined,
  ) {
    this.feed = new NotificationFeed(serverId);
  }

  apply(entries: PveTaskEntry[]): void {
    const changed = entries.filter((e) => {
      const signature = `${e.status}|${e.endtime ?? ''}`;
      if (this.last.get(e.upid) === signature) return false;
      this.last.set(e.upid, signature);
      return true;
    });
    if (!changed.length) return;
    const tasks = changed.map((e) => this.task(e));
    this.feed.changeTasks(tasks);
    const failed = tasks.filter((t) => t.status === 'failure');
    if (failed.length) {
      this.feed.changeAlerts(
        failed.map((t) => ({
          id: alertId(this.serverId, t.nativeRef),
          serverId: this.serverId,
          nativeRef: t.nativeRef,
          ...(t.nodeId ? { nodeId: t.nodeId } : {}),
          ...(t.objectName ? { objectName: t.objectName } : {}),
          severity: 'warning',
          name: t.what,
          title: `${t.what} failed`,
          body: [t.error?.message, t.user ? `by ${t.user}` : ''].filter(Boolean).join('\n'),
          time: t.finishedAt ?? t.startedAt,
          dismissable: false,
        })),
        [],
      );
    }
  }

  /** The cluster log's entries (newest first, as PVE sends them): the new ones become alerts or events. */
  applyLog(entries: PveLogEntry[]): void {
    const fresh = entries.filter((e) => !this.logSeen.has(logRef(e)));
    // remember what the log still holds: an entry that left it never comes back
    this.logSeen = new Set(entries.map(logRef));
    if (!fresh.length) return;
    const { alerts, events } = logItems(this.serverId, fresh);
    if (events.length) this.feed.changeTasks(events);
    if (alerts.length) this.feed.changeAlerts(alerts, []);
  }

  private task(e: PveTaskEntry): ServerTask {
    const guest = e.id ? this.guestOf(e.id) : undefined;
    const status: ServerTaskStatus = e.status === 'running' ? 'running' : e.status === 'OK' || e.status.startsWith('WARNINGS') ? 'success' : 'failure';
    return {
      id: serverTaskId(this.serverId, e.upid),
      serverId: this.serverId,
      nativeRef: e.upid,
      kind: 'task',
      what: e.type,
      ...(e.user ? { user: e.user } : {}),
      ...(guest ? { nodeId: guest.nodeId, objectName: guest.name } : { objectName: e.id ? `${e.id} (${e.node})` : e.node }),
      status,
      startedAt: e.starttime * 1000,
      ...(e.endtime !== undefined ? { finishedAt: e.endtime * 1000 } : {}),
      ...(status === 'failure' ? { error: { code: 'TASK_FAILED', message: e.status } } : {}),
    };
  }
}
