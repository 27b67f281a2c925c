// Alerts and everyone's tasks on a pool: XAPI `message` objects (priority as XenCenter
// reads it) and the `task` class, loaded with the inventory and then followed on the
// same event.from stream. A message names its object by class and uuid; a task names
// none. Dismissing is message.destroy; the alert leaves when the server's del event comes.

import { toErrorInfo } from '../../../../shared/errors';
import { alertId, serverTaskId, severityOfPriority, type Alert, type NotificationsFacet, type ServerTask, type ServerTaskStatus } from '../../../../shared/notifications';
import { nodeId } from '../../../../shared/model';
import { allOrNothing } from '../common/concurrency';
import { NotificationFeed } from '../common/notification-feed';
import { vmKind } from './mapping';
import { isoTime, num, str, type XapiCache, type XapiEvent, type XapiRecord } from './records';
import { WHOLE_RECORDS } from './record-reduction';
import type { XapiSession } from './session';

/** The classes the event stream follows for the Notifications view. */
export const NOTIFICATION_CLASSES = ['message', 'task'] as const;

const TASK_STATUS: Record<string, ServerTaskStatus> = {
  pending: 'running',
  cancelling: 'running',
  success: 'success',
  failure: 'failure',
  cancelled: 'cancelled',
};

export class XapiNotifications {
  readonly feed: NotificationFeed;

  constructor(
    private readonly serverId: string,
    private readonly cache: XapiCache,
    private readonly session: () => XapiSession,
  ) {
    this.feed = new NotificationFeed(serverId);
  }

  /**
   * Reads every message and task the pool has now (after the event token was taken: what
   * changes meanwhile is replayed); the returned function publishes them once the
   * inventory is loaded, so each alert finds its object.
   */
  async load(session: XapiSession, signal?: AbortSignal): Promise<() => void> {
    const [messages, tasks] = await allOrNothing(signal, [(shared) => session.allRecords('message', WHOLE_RECORDS, shared), (shared) => session.allRecords('task', WHOLE_RECORDS, shared)]);
    return () => {
      this.feed.resetAlerts([...messages].map(([ref, r]) => this.alert(ref, r)));
      this.feed.loadTasks([...tasks].map(([ref, r]) => this.task(ref, r)));
    };
  }

  /** The event stream's batch: messages added or deleted, tasks changed. */
  apply(events: XapiEvent[]): void {
    const added: Alert[] = [];
    const removed: string[] = [];
    const tasks: ServerTask[] = [];
    for (const e of events) {
      const cls = e.class.toLowerCase();
      if (cls === 'message') {
        if (e.operation === 'del') removed.push(e.ref);
        else if (e.snapshot) added.push(this.alert(e.ref, e.snapshot));
      } else if (cls === 'task') {
        if (e.operation === 'del') this.feed.forgetTask(e.ref);
        else if (e.snapshot) tasks.push(this.task(e.ref, e.snapshot));
      }
    }
    if (added.length || removed.length) this.feed.changeAlerts(added, removed);
    if (tasks.length) this.feed.changeTasks(tasks);
  }

  async dismiss(refs: string[]): Promise<Array<{ nativeRef: string; error?: { code: string; message: string } }>> {
    const session = this.session();
    return Promise.all(
      refs.map(async (nativeRef) => {
        try {
          await session.call('message.destroy', nativeRef);
          return { nativeRef };
        } catch (e) {
          const info = toErrorInfo(e);
          return { nativeRef, error: { code: info.serverCode ?? info.code, message: info.message } };
        }
      }),
    );
  }

  private alert(ref: string, r: XapiRecord): Alert {
    const object = this.objectOf(str(r.cls), str(r.obj_uuid));
    const name = str(r.name);
    return {
      id: alertId(this.serverId, ref),
      serverId: this.serverId,
      nativeRef: ref,
      ...object,
      severity: severityOfPriority(num(r.priority) ?? 0),
      name,
      title: titleOf(name),
      body: str(r.body),
      time: timeOf(r.timestamp) ?? Date.now(),
      dismissable: true,
    };
  }

  private task(ref: string, r: XapiRecord): ServerTask {
    const status = TASK_STATUS[str(r.status)] ?? 'running';
    const errorInfo = Array.isArray(r.error_info) ? r.error_info.map(String) : [];
    const finished = timeOf(r.finished);
    return {
      id: serverTaskId(this.serverId, ref),
      serverId: this.serverId,
      nativeRef: ref,
      kind: 'task',
      what: str(r.name_label) || str(r.name_description),
      progress: Math.min(1, Math.max(0, num(r.progress) ?? 0)),
      status,
      startedAt: timeOf(r.created) ?? Date.now(),
      ...(status !== 'running' && finished ? { finishedAt: finished } : {}),
      ...(errorInfo.length ? { error: { code: errorInfo[0]!, message: errorInfo.slice(1).join(' ') } } : {}),
    };
  }

  /** The node a message is about (a VM, host or pool this connection shows), else its class and uuid in words. */
  private objectOf(cls: string, uuid: string): { nodeId?: string; objectName?: string } {
    const find = (table: Map<string, XapiRecord>) => [...table].find(([, rec]) => rec.uuid === uuid);
    if (cls === 'VM') {
      const vm = find(this.cache.vm);
      if (vm) return { nodeId: nodeId(this.serverId, vmKind(vm[1]), vm[0]), objectName: str(vm[1].name_label) };
    } else if (cls === 'Host') {
      const host = find(this.cache.host);
      if (host) return { nodeId: nodeId(this.serverId, 'host', host[0]), objectName: str(host[1].name_label) };
    } else if (cls === 'Pool') {
      const pool = find(this.cache.pool);
      if (pool) return { nodeId: nodeId(this.serverId, 'pool', pool[0]), objectName: str(pool[1].name_label) };
    }
    return uuid ? { objectName: `${cls} ${uuid}` } : {};
  }
}

function timeOf(value: unknown): number | undefined {
  const iso = isoTime(value);
  const ms = iso ? Date.parse(iso) : NaN;
  // xapi's "never" is the epoch (19700101T00:00:00Z)
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** VM_CRASHED → "VM crashed"; ALARM stays a word. */
function titleOf(name: string): string {
  const words = name.replace(/_/g, ' ').toLowerCase();
  return words.replace(/^(vm|vdi|sr|ha|pbd|pif|vmss|vmpp|pvs)\b/, (m) => m.toUpperCase()).replace(/^./, (c) => c.toUpperCase());
}

/** The pool's messages are its alerts (dismissed with message.destroy); tasks carry no user. */
export const XAPI_NOTIFICATIONS_FACET: NotificationsFacet = {
  alerts: true,
  dismiss: true,
  serverTasks: true,
  taskUsers: false,
  note: { en: 'XAPI tasks do not say who started them.', 'zh-CN': 'XAPI 任务不记录由谁启动。' },
};
