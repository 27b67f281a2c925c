// vSphere's events and recent tasks for the Notifications view, followed while a session
// lives: an EventHistoryCollector's latestPage (events of warning or error level are
// alerts, every event is an event) and TaskManager.recentTask with each task's info
// (who, what, on which object, progress, state). They are watched through a
// PropertyCollector of their own (WaitForUpdatesEx), so the server answers only when
// something changed, and then only the changed objects: polling the page and every
// recent task's info every few seconds read ~300 kB each time from an idle vcsim and
// was most of the vSphere XML parse time of a fleet start (issue 17). The server keeps
// its events: they cannot be dismissed from a client. vcsim 0.24 serves all of these
// calls, but its event descriptions say "info" for every type, so the level also comes
// from the type.

import { toErrorInfo } from '../../../../shared/errors';
import { nodeId } from '../../../../shared/model';
import { alertId, serverTaskId, type AlertSeverity, type NotificationsFacet, type ServerTask, type ServerTaskStatus } from '../../../../shared/notifications';
import { NotificationFeed } from '../common/notification-feed';
import { createFilter, createPropertyCollector, destroyPropertyCollector, retrieveOne, waitForUpdates, type ObjectUpdate } from './property-collector';
import type { VimClient } from './vim-client';
import { child, children, childText, el, readMoRef, xsiType, type ManagedObjectReference, type XmlNode } from './xml';

export const VSPHERE_NOTIFICATIONS_FACET: NotificationsFacet = {
  alerts: true,
  dismiss: false,
  serverTasks: true,
  taskUsers: true,
  note: {
    en: 'vSphere keeps its events: warnings and errors show as alerts but cannot be dismissed from a client.',
    'zh-CN': 'vSphere 保留其事件：警告和错误显示为警报，但无法从客户端忽略。',
  },
};

/** how long the server may hold a long poll when nothing happens */
const WAIT_SECONDS = 30;
const PAGE_SIZE = 200;
const DESTROY_MS = 2_000;
const TASK_STATES: Record<string, ServerTaskStatus> = { queued: 'running', running: 'running', success: 'success', error: 'failure' };

export interface VsphereManagers {
  eventManager?: ManagedObjectReference;
  taskManager?: ManagedObjectReference;
}

export class VsphereNotifications {
  readonly feed: NotificationFeed;
  /** event type → the server's category (info, warning, error, user) */
  private categories = new Map<string, string>();
  private readonly seenEvents = new Set<string>();

  constructor(
    private readonly serverId: string,
    private readonly log: (level: 'debug' | 'warn', message: string) => void,
  ) {
    this.feed = new NotificationFeed(serverId);
  }

  /** Follows while `live()` holds; a failure is logged and ends this session's following (the next session starts again). */
  async follow(client: VimClient, managers: VsphereManagers, live: () => boolean, signal: AbortSignal): Promise<void> {
    if (!managers.eventManager && !managers.taskManager) return;
    let watcher: ManagedObjectReference | undefined;
    try {
      const events = managers.eventManager ? await this.createCollector(client, managers.eventManager, signal) : undefined;
      watcher = await createPropertyCollector(client, signal);
      if (events) await createFilter(client, { root: events, propSet: { EventHistoryCollector: ['latestPage'] }, traversal: [] }, signal, watcher);
      if (managers.taskManager) await createFilter(client, recentTasksSpec(managers.taskManager), signal, watcher);
      let version = '';
      while (live() && !signal.aborted) {
        const updates = await waitForUpdates(client, version, { maxWaitSeconds: WAIT_SECONDS, maxObjectUpdates: PAGE_SIZE, signal, collector: watcher });
        if (!updates) continue;
        version = updates.version;
        this.apply(updates.updates);
      }
    } catch (err) {
      if (!signal.aborted && live()) this.log('warn', `vSphere events and tasks are not followed any more on this session: ${toErrorInfo(err).message}`);
    } finally {
      if (watcher && !signal.aborted) {
        await destroyPropertyCollector(client, watcher, AbortSignal.timeout(DESTROY_MS)).catch((err: unknown) =>
          this.log('debug', `DestroyPropertyCollector failed (it ends with the session): ${toErrorInfo(err).message}`),
        );
      }
    }
  }

  private apply(updates: ObjectUpdate[]): void {
    const tasks: ServerTask[] = [];
    for (const update of updates) {
      if (update.kind === 'leave') continue;
      for (const change of update.changes) {
        if (change.name === 'latestPage') this.readEvents(change.val);
        else if (change.name === 'info' && update.obj.type === 'Task' && change.val !== undefined) tasks.push(this.task(update.obj.value, change.val));
      }
    }
    const changed = tasks.filter((t) => JSON.stringify(this.feed.task(t.nativeRef)) !== JSON.stringify(t));
    if (changed.length) this.feed.changeTasks(changed);
  }

  private async createCollector(client: VimClient, eventManager: ManagedObjectReference, signal: AbortSignal): Promise<ManagedObjectReference> {
    const description = await retrieveOne(client, eventManager, ['description.eventInfo'], { signal });
    for (const info of children(description?.get('description.eventInfo'), 'EventDescriptionEventDetail')) {
      const key = childText(info, 'key');
      const category = childText(info, 'category');
      if (key && category) this.categories.set(key, category);
    }
    const created = await client.call('CreateCollectorForEvents', eventManager, [el('filter', '')], { signal });
    const collector = readMoRef(created as XmlNode);
    if (!collector) throw new Error('CreateCollectorForEvents returned no collector');
    await client.call('SetCollectorPageSize', collector, [el('maxCount', PAGE_SIZE)], { signal });
    return collector;
  }

  private readEvents(page: XmlNode | undefined): void {
    const tasks: ServerTask[] = [];
    const alerts: Parameters<NotificationFeed['changeAlerts']>[0] = [];
    for (const ev of children(page, 'Event')) {
      const key = childText(ev, 'key')?.trim();
      if (!key || this.seenEvents.has(key)) continue;
      this.seenEvents.add(key);
      const type = xsiType(ev) ?? 'Event';
      const time = Date.parse(childText(ev, 'createdTime') ?? '') || Date.now();
      const object = this.objectOf(ev);
      const message = childText(ev, 'fullFormattedMessage')?.trim() || childText(ev, 'message')?.trim() || type;
      const user = childText(ev, 'userName')?.trim();
      tasks.push({ id: serverTaskId(this.serverId, `event-${key}`), serverId: this.serverId, nativeRef: `event-${key}`, kind: 'event', what: message, ...(user ? { user } : {}), ...object, status: 'success', startedAt: time, finishedAt: time });
      const severity = this.severityOf(type, ev);
      if (severity) {
        alerts.push({ id: alertId(this.serverId, key), serverId: this.serverId, nativeRef: key, ...object, severity, name: type, title: message, body: user ? `by ${user}` : '', time, dismissable: false });
      }
    }
    if (tasks.length) this.feed.changeTasks(tasks);
    if (alerts.length) this.feed.changeAlerts(alerts, []);
  }

  private task(ref: string, info: XmlNode): ServerTask {
    const status = TASK_STATES[childText(info, 'state')?.trim() ?? ''] ?? 'running';
    const percent = Number(childText(info, 'progress'));
    const started = Date.parse(childText(info, 'startTime') ?? childText(info, 'queueTime') ?? '');
    const finished = Date.parse(childText(info, 'completeTime') ?? '');
    const entity = readMoRef(child(info, 'entity'));
    const user = childText(child(info, 'reason'), 'userName')?.trim();
    const error = child(info, 'error');
    return {
      id: serverTaskId(this.serverId, ref),
      serverId: this.serverId,
      nativeRef: ref,
      kind: 'task',
      what: childText(info, 'descriptionId')?.trim() || childText(info, 'name')?.trim() || ref,
      ...(user ? { user } : {}),
      ...(entity ? this.entityNode(entity) : {}),
      ...(childText(info, 'entityName') ? { objectName: childText(info, 'entityName')!.trim() } : {}),
      ...(status === 'success' ? { progress: 1 } : Number.isFinite(percent) ? { progress: Math.min(1, Math.max(0, percent / 100)) } : {}),
      status,
      startedAt: Number.isFinite(started) ? started : Date.now(),
      ...(Number.isFinite(finished) ? { finishedAt: finished } : {}),
      ...(error ? { error: { code: xsiType(child(error, 'fault')) ?? 'TaskError', message: childText(error, 'localizedMessage')?.trim() ?? '' } } : {}),
    };
  }

  /** warning/error events as the server categorises them; by their type where it does not (vcsim says info for all). */
  private severityOf(type: string, ev: XmlNode): AlertSeverity | undefined {
    const level = childText(ev, 'severity')?.trim() ?? this.categories.get(childText(ev, 'eventTypeId')?.trim() ?? type);
    if (level === 'error' || /ErrorEvent$|Failed(\w*)Event$/.test(type)) return 'major';
    if (level === 'warning' || /WarningEvent$/.test(type)) return 'warning';
    if (type === 'AlarmStatusChangedEvent') {
      const to = childText(ev, 'to')?.trim();
      return to === 'red' ? 'major' : to === 'yellow' ? 'warning' : undefined;
    }
    return undefined;
  }

  private objectOf(ev: XmlNode): { nodeId?: string; objectName?: string } {
    for (const [field, ref] of [['vm', 'vm'], ['host', 'host']] as const) {
      const arg = child(ev, field);
      const entity = readMoRef(child(arg, ref));
      const name = childText(arg, 'name')?.trim();
      if (entity || name) return { ...(entity ? this.entityNode(entity) : {}), ...(name ? { objectName: name } : {}) };
    }
    return {};
  }

  private entityNode(entity: ManagedObjectReference): { nodeId?: string } {
    if (entity.type === 'VirtualMachine') return { nodeId: nodeId(this.serverId, 'vm', entity.value) };
    if (entity.type === 'HostSystem') return { nodeId: nodeId(this.serverId, 'host', entity.value) };
    return {};
  }
}

/** TaskManager.recentTask and, through it, each recent task's info. */
function recentTasksSpec(taskManager: ManagedObjectReference) {
  return {
    root: taskManager,
    propSet: { TaskManager: ['recentTask'], Task: ['info'] },
    traversal: [{ name: 'recentTasks', type: 'TaskManager', path: 'recentTask', selectSet: [] }],
  };
}
