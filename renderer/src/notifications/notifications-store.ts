// The Notifications view's data in the renderer: every server's alerts and tasks/events,
// kept by the alerts:changed / serverTasks:changed events; which alerts are new (arrived
// since the Alerts tab was last looked at); and the view's open tab.
import { create } from 'zustand';
import type { PolyvisorClient } from '../../../shared/contract';
import type { Alert, NotificationDelta, ServerTask } from '../../../shared/notifications';
import { toErrorInfo } from '../../../shared/errors';

export type NotificationsTab = 'alerts' | 'events' | 'app-tasks' | 'thresholds';

interface NotificationsState {
  alerts: Map<string, Alert>;
  tasks: Map<string, ServerTask>;
  /** alerts that arrived since the Alerts tab was last shown */
  fresh: Set<string>;
  /** the view is open on this tab; null = closed */
  tab: NotificationsTab | null;
}

const SEEN_KEY = 'polyvisor.alertsSeenAt';

export const useNotifications = create<NotificationsState>(() => ({ alerts: new Map(), tasks: new Map(), fresh: new Set(), tab: null }));

function seenAt(): number {
  const stored = Number(window.localStorage.getItem(SEEN_KEY));
  return Number.isFinite(stored) ? stored : 0;
}

function applyDelta<T extends { id: string; serverId: string }>(current: Map<string, T>, delta: NotificationDelta<T>): Map<string, T> {
  const next = new Map(current);
  if (delta.reset) for (const [id, item] of next) if (item.serverId === delta.serverId) next.delete(id);
  for (const id of delta.remove) next.delete(id);
  for (const item of delta.upsert) next.set(item.id, item);
  return next;
}

/** Alerts that are new to the user: arrived live while the Alerts tab was not shown, or stamped after it was last seen. */
function freshAfter(state: NotificationsState, delta: NotificationDelta<Alert>, alerts: Map<string, Alert>): Set<string> {
  const fresh = new Set([...state.fresh].filter((id) => alerts.has(id)));
  if (state.tab === 'alerts') return fresh;
  const since = seenAt();
  for (const a of delta.upsert) if (!delta.reset || a.time > since) fresh.add(a.id);
  return fresh;
}

export const notificationActions = {
  alertsChanged(delta: NotificationDelta<Alert>): Alert[] {
    const state = useNotifications.getState();
    const known = state.alerts;
    const alerts = applyDelta(known, delta);
    useNotifications.setState({ alerts, fresh: freshAfter(state, delta, alerts) });
    return delta.reset ? [] : delta.upsert.filter((a) => !known.has(a.id));
  },
  tasksChanged(delta: NotificationDelta<ServerTask>): void {
    useNotifications.setState((s) => ({ tasks: applyDelta(s.tasks, delta) }));
  },
  open(tab: NotificationsTab = 'alerts'): void {
    useNotifications.setState({ tab });
    if (tab === 'alerts') notificationActions.markSeen();
  },
  close(): void {
    useNotifications.setState({ tab: null });
  },
  markSeen(): void {
    window.localStorage.setItem(SEEN_KEY, String(Date.now()));
    useNotifications.setState({ fresh: new Set() });
  },
};

let following = false;

/** Subscribes to the core's notification events and loads what the servers have now (once). */
export async function followNotifications(client: PolyvisorClient, onNewAlerts: (alerts: Alert[]) => void, onError: (message: string) => void): Promise<void> {
  if (following) return;
  following = true;
  client.on('alerts:changed', (delta) => {
    const arrived = notificationActions.alertsChanged(delta);
    if (arrived.length) onNewAlerts(arrived);
  });
  client.on('serverTasks:changed', (delta) => notificationActions.tasksChanged(delta));
  try {
    const [alerts, tasks] = await Promise.all([client.invoke('alerts:list'), client.invoke('serverTasks:list')]);
    for (const serverId of new Set(alerts.map((a) => a.serverId))) {
      notificationActions.alertsChanged({ serverId, reset: true, upsert: alerts.filter((a) => a.serverId === serverId), remove: [] });
    }
    for (const serverId of new Set(tasks.map((x) => x.serverId))) {
      notificationActions.tasksChanged({ serverId, reset: true, upsert: tasks.filter((x) => x.serverId === serverId), remove: [] });
    }
  } catch (e) {
    onError(toErrorInfo(e).message);
  }
}
