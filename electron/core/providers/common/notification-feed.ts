// One server's alerts and tasks/events as a provider reports them (descriptor facet
// `notifications`): the current state, and deltas to whoever follows it. A task the
// server forgets stays in the history, finished; the history is bounded per server.

import type { Alert, NotificationDelta, ServerTask } from '../../../../shared/notifications';

/** What the core's notification service reads from a provider. */
export interface ProviderNotifications {
  alerts(): Alert[];
  tasks(): ServerTask[];
  /** listener hears every change; the returned function stops it */
  follow(listener: NotificationListener): () => void;
  /** deletes alerts on the server by native ref; resolves with each one's outcome (absent where the server cannot) */
  dismiss?(nativeRefs: string[]): Promise<Array<{ nativeRef: string; error?: { code: string; message: string } }>>;
}

export interface NotificationListener {
  alerts?(delta: NotificationDelta<Alert>): void;
  tasks?(delta: NotificationDelta<ServerTask>): void;
}

const DEFAULT_TASK_HISTORY = 500;
const DEFAULT_ALERT_LIMIT = 5000;

export class NotificationFeed implements ProviderNotifications {
  private readonly alertMap = new Map<string, Alert>();
  private readonly taskMap = new Map<string, ServerTask>();
  private readonly listeners = new Set<NotificationListener>();

  constructor(
    private readonly serverId: string,
    private readonly limits: { tasks?: number; alerts?: number } = {},
  ) {}

  alerts(): Alert[] {
    return [...this.alertMap.values()];
  }

  tasks(): ServerTask[] {
    return [...this.taskMap.values()];
  }

  follow(listener: NotificationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces every alert (a fresh load after a connect). */
  resetAlerts(alerts: Alert[]): void {
    this.alertMap.clear();
    for (const a of alerts) this.alertMap.set(a.nativeRef, a);
    this.trim(this.alertMap, this.limits.alerts ?? DEFAULT_ALERT_LIMIT, (a) => a.time, []);
    this.emitAlerts({ serverId: this.serverId, reset: true, upsert: this.alerts(), remove: [] });
  }

  changeAlerts(upsert: Alert[], removeRefs: string[]): void {
    const removed: string[] = [];
    for (const ref of removeRefs) {
      const a = this.alertMap.get(ref);
      if (a && this.alertMap.delete(ref)) removed.push(a.id);
    }
    for (const a of upsert) this.alertMap.set(a.nativeRef, a);
    this.trim(this.alertMap, this.limits.alerts ?? DEFAULT_ALERT_LIMIT, (a) => a.time, removed);
    if (upsert.length || removed.length) this.emitAlerts({ serverId: this.serverId, upsert, remove: removed });
  }

  /** Merges the server's current tasks (a fresh load): the ones it forgot meanwhile end in the history. */
  loadTasks(tasks: ServerTask[]): void {
    const seen = new Set(tasks.map((t) => t.nativeRef));
    const ended = [...this.taskMap.values()].filter((t) => t.status === 'running' && !seen.has(t.nativeRef)).map(endedNow);
    this.changeTasks([...ended, ...tasks]);
  }

  changeTasks(upsert: ServerTask[]): void {
    for (const t of upsert) this.taskMap.set(t.nativeRef, t);
    const removed: string[] = [];
    this.trim(this.taskMap, this.limits.tasks ?? DEFAULT_TASK_HISTORY, (t) => t.finishedAt ?? Number.MAX_SAFE_INTEGER, removed);
    if (upsert.length || removed.length) this.emitTasks({ serverId: this.serverId, upsert, remove: removed });
  }

  /** The server deleted the task (XAPI task.destroy): it stays in the history, ended if it was still running. */
  forgetTask(nativeRef: string): void {
    const t = this.taskMap.get(nativeRef);
    if (t && t.status === 'running') this.changeTasks([endedNow(t)]);
  }

  task(nativeRef: string): ServerTask | undefined {
    return this.taskMap.get(nativeRef);
  }

  private trim<T extends { id: string }>(map: Map<string, T>, max: number, age: (v: T) => number, removed: string[]): void {
    if (map.size <= max) return;
    const oldest = [...map.entries()].sort((a, b) => age(a[1]) - age(b[1])).slice(0, map.size - max);
    for (const [ref, v] of oldest) {
      map.delete(ref);
      removed.push(v.id);
    }
  }

  private emitAlerts(delta: NotificationDelta<Alert>): void {
    for (const l of this.listeners) l.alerts?.(delta);
  }

  private emitTasks(delta: NotificationDelta<ServerTask>): void {
    for (const l of this.listeners) l.tasks?.(delta);
  }
}

function endedNow(t: ServerTask): ServerTask {
  return { ...t, status: 'ended', finishedAt: Date.now() };
}

/** The feed's reading side as plain functions, for a provider to extend with its own dismiss. */
export function bindFeed(feed: NotificationFeed): ProviderNotifications {
  return { alerts: () => feed.alerts(), tasks: () => feed.tasks(), follow: (listener) => feed.follow(listener) };
}
