// Alerts and events of a Docker engine, read from its event stream (`GET /events`): a
// container that dies with a non-zero exit code, is killed for want of memory (oom) or
// turns unhealthy raises an alert; every container, image, volume and network event is
// an event in the Events tab. The engine keeps no alerts: nothing can be dismissed, and
// what happened before the connection is what the engine still has in its event log.

import { alertId, serverTaskId, type Alert, type AlertSeverity, type NotificationsFacet, type ServerTask } from '../../../../shared/notifications';
import { nodeId } from '../../../../shared/model';
import type Dockerode from 'dockerode';
import type { Readable } from 'node:stream';
import { LineSplitter } from '../common/limits';
import { NotificationFeed } from '../common/notification-feed';

export const DOCKER_NOTIFICATIONS_FACET: NotificationsFacet = {
  alerts: true,
  dismiss: false,
  serverTasks: true,
  taskUsers: false,
  note: {
    en: 'Docker keeps no alerts: they come from the engine\'s events (die, oom, unhealthy), cannot be dismissed on the engine, and events do not say who caused them.',
    'zh-CN': 'Docker 不保存警报：警报来自引擎事件（die、oom、unhealthy），无法在引擎上忽略，事件也不记录由谁引起。',
  },
};

interface EngineEventRecord {
  Type?: unknown;
  Action?: unknown;
  Actor?: { ID?: unknown; Attributes?: Record<string, unknown> };
  time?: unknown;
  timeNano?: unknown;
}

const EVENT_TYPE_NAMES = ['container', 'image', 'volume', 'network'] as const;
const EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_TYPE_NAMES);

export class DockerNotifications {
  readonly feed: NotificationFeed;
  private readonly seen = new Set<string>();

  constructor(private readonly serverId: string) {
    this.feed = new NotificationFeed(serverId);
  }

  /** One line of the engine's event stream (a replayed one is recognised and skipped). */
  observe(line: string): void {
    let ev: EngineEventRecord;
    try {
      ev = JSON.parse(line) as EngineEventRecord;
    } catch {
      return; // the inventory's reader reports lines that are not events
    }
    if (typeof ev !== 'object' || ev === null || typeof ev.Type !== 'string' || typeof ev.Action !== 'string' || !EVENT_TYPES.has(ev.Type)) return;
    const actorId = typeof ev.Actor?.ID === 'string' ? ev.Actor.ID : '';
    const attrs = ev.Actor?.Attributes ?? {};
    const timeNano = typeof ev.timeNano === 'number' ? ev.timeNano : typeof ev.time === 'number' ? ev.time * 1e9 : Date.now() * 1e6;
    const ref = `${timeNano}:${ev.Type}:${ev.Action}:${actorId}`;
    if (this.seen.has(ref)) return;
    this.remember(ref);
    const time = Math.floor(timeNano / 1e6);
    const name = typeof attrs.name === 'string' ? attrs.name : actorId.slice(0, 12);
    const node = ev.Type === 'container' && actorId ? nodeId(this.serverId, 'container', actorId) : undefined;
    const object = { ...(node ? { nodeId: node } : {}), ...(name ? { objectName: name } : {}) };
    const task: ServerTask = {
      id: serverTaskId(this.serverId, ref),
      serverId: this.serverId,
      nativeRef: ref,
      kind: 'event',
      what: `${ev.Type} ${ev.Action}`,
      ...object,
      status: 'success',
      startedAt: time,
      finishedAt: time,
    };
    this.feed.changeTasks([task]);
    const alert = ev.Type === 'container' ? alertOf(ev.Action, attrs) : undefined;
    if (alert) {
      this.feed.changeAlerts([{ id: alertId(this.serverId, ref), serverId: this.serverId, nativeRef: ref, ...object, ...alert, time, dismissable: false }], []);
    }
  }

  /**
   * What the engine's event log still holds from before the connection (dockerd keeps its
   * latest events): read to its end, each line as if it had just arrived.
   */
  async backfill(docker: Dockerode, untilSeconds: number, maxLineBytes: number, where: string): Promise<void> {
    const stream = (await docker.getEvents({ since: 0, until: untilSeconds, filters: { type: [...EVENT_TYPE_NAMES] } })) as unknown as Readable;
    const lines = new LineSplitter(`The Docker engine at ${where} (event log)`, maxLineBytes);
    try {
      for await (const chunk of stream) for (const line of lines.push(chunk as Buffer)) if (line.trim()) this.observe(line);
      const last = lines.rest();
      if (last.trim()) this.observe(last);
    } finally {
      stream.destroy();
    }
  }

  /** Replays are recognised by the event's own time, kind and actor; the set stays bounded. */
  private remember(ref: string): void {
    this.seen.add(ref);
    if (this.seen.size > 5000) for (const old of [...this.seen].slice(0, 1000)) this.seen.delete(old);
  }
}

function alertOf(action: string, attrs: Record<string, unknown>): Pick<Alert, 'severity' | 'name' | 'title' | 'body'> | undefined {
  const image = typeof attrs.image === 'string' ? `image ${attrs.image}` : '';
  if (action === 'oom') return { severity: 'major' as AlertSeverity, name: 'oom', title: 'Killed: out of memory', body: image };
  if (action === 'die') {
    const code = String(attrs.exitCode ?? '');
    if (code === '' || code === '0') return undefined;
    return { severity: 'major', name: 'die', title: `Exited with code ${code}`, body: image };
  }
  if (action === 'health_status: unhealthy') return { severity: 'warning', name: 'unhealthy', title: 'Health check failing', body: image };
  return undefined;
}
