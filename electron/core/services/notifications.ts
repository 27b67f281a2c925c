// The Notifications view's data (issue 15): each connected server's alerts and
// tasks/events, read from its provider's feed and forwarded as they change. A server
// that disconnects takes its alerts and tasks with it (as XenCenter's do); dismissing
// goes to the server, and the alert leaves when the server's own event says so.

import type { ChannelHandlers, EventMap } from '../../../shared/contract';
import { PolyvisorError } from '../../../shared/errors';
import type { Alert, AlertQuery, DismissOutcome, ServerTask, ServerTaskQuery } from '../../../shared/notifications';
import type { ProviderNotifications } from '../providers/common/notification-feed';
import type { ProviderConfig } from '../providers/provider';

export interface NotificationDeps {
  /** every saved server's id */
  serverIds(): string[];
  /** the live provider's feed, while connected or reconnecting */
  feed(serverId: string): ProviderNotifications | undefined;
  emit<E extends 'alerts:changed' | 'serverTasks:changed'>(event: E, payload: EventMap[E]): void;
  log?: ProviderConfig['log'];
  /** Polyvisor's own alerts (threshold rules): listed with the servers', dismissed locally */
  own?: OwnAlerts;
}

export interface OwnAlerts {
  list(): Alert[];
  /** returns the ids it dismissed */
  dismiss(ids: string[]): string[];
}

interface Following {
  feed: ProviderNotifications;
  stop(): void;
}

export class NotificationService {
  private readonly following = new Map<string, Following>();

  constructor(private readonly deps: NotificationDeps) {}

  /** A server's connection changed: follow its new provider's feed, or clear what it had. */
  serverChanged(serverId: string): void {
    const feed = this.deps.feed(serverId);
    const current = this.following.get(serverId);
    if (current?.feed === feed) return;
    current?.stop();
    this.following.delete(serverId);
    if (!feed) {
      if (current) this.emitReset(serverId, [], []);
      return;
    }
    const stop = feed.follow({
      alerts: (delta) => this.deps.emit('alerts:changed', delta),
      tasks: (delta) => this.deps.emit('serverTasks:changed', delta),
    });
    this.following.set(serverId, { feed, stop });
    this.emitReset(serverId, feed.alerts(), feed.tasks());
  }

  serverRemoved(serverId: string): void {
    const current = this.following.get(serverId);
    if (!current) return;
    current.stop();
    this.following.delete(serverId);
    this.emitReset(serverId, [], []);
  }

  alerts(query: AlertQuery = {}): Alert[] {
    const out: Alert[] = (this.deps.own?.list() ?? []).filter((a) => ownAlertMatches(a, query));
    for (const id of this.serverIdsFor(query.serverId)) {
      for (const a of this.deps.feed(id)?.alerts() ?? []) if (query.since === undefined || a.time >= query.since) out.push(a);
    }
    return out.sort((a, b) => b.time - a.time);
  }

  tasks(query: ServerTaskQuery = {}): ServerTask[] {
    const out: ServerTask[] = [];
    for (const id of this.serverIdsFor(query.serverId)) {
      for (const t of this.deps.feed(id)?.tasks() ?? []) if (query.since === undefined || (t.finishedAt ?? t.startedAt) >= query.since) out.push(t);
    }
    return out.sort((a, b) => b.startedAt - a.startedAt);
  }

  /** Asks each alert's server to delete it; reports the ones that stayed and why. */
  async dismiss(ids: string[]): Promise<DismissOutcome> {
    const outcome: DismissOutcome = { dismissed: this.deps.own?.dismiss(ids) ?? [], failed: [] };
    ids = ids.filter((id) => !outcome.dismissed.includes(id));
    const byServer = new Map<string, { feed: ProviderNotifications; alerts: Alert[] }>();
    const known = new Map(this.alerts().map((a) => [a.id, a]));
    for (const id of new Set(ids)) {
      const alert = known.get(id);
      if (!alert) {
        outcome.failed.push({ id, code: 'NOT_FOUND', message: 'No such alert (it may have been dismissed already, or its server is not connected).' });
        continue;
      }
      const feed = this.deps.feed(alert.serverId);
      if (!feed?.dismiss || !alert.dismissable) {
        outcome.failed.push({ id, code: 'UNSUPPORTED', message: 'This server cannot dismiss its alerts; they stay until it forgets them.' });
        continue;
      }
      const group = byServer.get(alert.serverId) ?? { feed, alerts: [] };
      group.alerts.push(alert);
      byServer.set(alert.serverId, group);
    }
    await Promise.all(
      [...byServer.values()].map(async ({ feed, alerts }) => {
        const byRef = new Map(alerts.map((a) => [a.nativeRef, a.id]));
        try {
          for (const r of await feed.dismiss!(alerts.map((a) => a.nativeRef))) {
            const id = byRef.get(r.nativeRef)!;
            if (r.error) outcome.failed.push({ id, ...r.error });
            else outcome.dismissed.push(id);
          }
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          this.deps.log?.('warn', `Dismissing ${alerts.length} alert(s) failed: ${message}`);
          for (const a of alerts) outcome.failed.push({ id: a.id, code: e instanceof PolyvisorError ? e.info.code : 'SERVER_ERROR', message });
        }
      }),
    );
    return outcome;
  }

  stop(): void {
    for (const f of this.following.values()) f.stop();
    this.following.clear();
  }

  private serverIdsFor(serverId: string | undefined): string[] {
    return serverId ? [serverId] : this.deps.serverIds();
  }

  private emitReset(serverId: string, alerts: Alert[], tasks: ServerTask[]): void {
    this.deps.emit('alerts:changed', { serverId, reset: true, upsert: alerts, remove: [] });
    this.deps.emit('serverTasks:changed', { serverId, reset: true, upsert: tasks, remove: [] });
  }
}

/** A Polyvisor alert belongs to the server of the item it is about. */
function ownAlertMatches(a: Alert, query: AlertQuery): boolean {
  if (query.since !== undefined && a.time < query.since) return false;
  return !query.serverId || query.serverId === a.serverId || !!a.nodeId?.startsWith(`${query.serverId}:`);
}

/** The service wired to the core: follows every server's connection, and answers the notification channels. */
export function createNotifications(deps: {
  serverIds(): string[];
  liveProvider(serverId: string): { notifications?: ProviderNotifications } | undefined;
  emit: NotificationDeps['emit'];
  on(event: 'server:changed' | 'server:removed', listener: (payload: { id: string }) => void): () => void;
  log?: ProviderConfig['log'];
  own?: OwnAlerts;
}) {
  const service = new NotificationService({ serverIds: deps.serverIds, feed: (id) => deps.liveProvider(id)?.notifications, emit: deps.emit, log: deps.log, own: deps.own });
  const offs = [deps.on('server:changed', (s) => service.serverChanged(s.id)), deps.on('server:removed', (s) => service.serverRemoved(s.id))];
  const handlers = {
    'alerts:list': (query?: AlertQuery) => service.alerts(query),
    'alerts:dismiss': (ids: string[]) => service.dismiss(ids),
    'serverTasks:list': (query?: ServerTaskQuery) => service.tasks(query),
  } satisfies Partial<ChannelHandlers>;
  return {
    service,
    handlers,
    stop() {
      for (const off of offs) off();
      service.stop();
    },
  };
}
