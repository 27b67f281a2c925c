// The provider-side feed (deltas, bounded history, forgotten tasks) and the view's filters.
import { describe, expect, it } from 'vitest';
import { NotificationFeed } from '../../electron/core/providers/common/notification-feed';
import { alertId, serverTaskId, severityOfPriority, type Alert, type NotificationDelta, type ServerTask } from '../../shared/notifications';
import { filterAlerts, filterTasks, NO_FILTER } from '../../renderer/src/notifications/notification-filters';

const alert = (ref: string, time: number, extra: Partial<Alert> = {}): Alert => ({
  id: alertId('s', ref), serverId: 's', nativeRef: ref, severity: 'warning', name: 'X', title: 'x', body: '', time, dismissable: true, ...extra,
});
const task = (ref: string, startedAt: number, extra: Partial<ServerTask> = {}): ServerTask => ({
  id: serverTaskId('s', ref), serverId: 's', nativeRef: ref, kind: 'task', what: 'w', status: 'running', startedAt, ...extra,
});

describe('NotificationFeed', () => {
  it('sends a reset, then only what changed, and ids of what left', () => {
    const feed = new NotificationFeed('s');
    const heard: NotificationDelta<Alert>[] = [];
    feed.follow({ alerts: (d) => heard.push(d) });
    feed.resetAlerts([alert('a', 1), alert('b', 2)]);
    feed.changeAlerts([alert('c', 3)], ['a', 'unknown']);
    expect(heard[0]).toMatchObject({ reset: true });
    expect(heard[1]).toEqual({ serverId: 's', upsert: [alert('c', 3)], remove: [alertId('s', 'a')] });
    expect(feed.alerts().map((a) => a.nativeRef).sort()).toEqual(['b', 'c']);
  });

  it('keeps the newest alerts within its bound and drops the oldest finished tasks first', () => {
    const feed = new NotificationFeed('s', { alerts: 2, tasks: 2 });
    feed.resetAlerts([alert('old', 1), alert('mid', 2), alert('new', 3)]);
    expect(feed.alerts().map((a) => a.nativeRef).sort()).toEqual(['mid', 'new']);
    feed.changeTasks([task('running', 1), task('done-early', 2, { status: 'success', finishedAt: 5 }), task('done-late', 3, { status: 'success', finishedAt: 9 })]);
    expect(feed.tasks().map((t) => t.nativeRef).sort()).toEqual(['done-late', 'running']);
  });

  it('keeps a task the server forgot: ended if it was running, as it was if it had finished', () => {
    const feed = new NotificationFeed('s');
    feed.changeTasks([task('r', 1), task('f', 1, { status: 'failure', finishedAt: 2 })]);
    feed.forgetTask('r');
    feed.forgetTask('f');
    expect(feed.task('r')?.status).toBe('ended');
    expect(feed.task('f')?.status).toBe('failure');
    feed.loadTasks([]);
    expect(feed.tasks()).toHaveLength(2);
  });

  it("reads XAPI priorities as XenCenter does: 1–5, anything else unknown", () => {
    expect([1, 2, 3, 4, 5, 0, 6, -1].map(severityOfPriority)).toEqual(['critical', 'major', 'warning', 'minor', 'info', 'unknown', 'unknown', 'unknown']);
  });
});

describe('the Notifications view filters', () => {
  const now = 10 * 86_400_000;
  const alerts = [
    alert('a', now - 1000, { severity: 'critical', objectName: 'web01' }),
    alert('b', now - 2 * 86_400_000, { severity: 'warning', objectName: 'db01', serverId: 't' }),
    alert('c', now - 10, { severity: 'warning', objectName: 'Web02' }),
  ];
  const name = (a: Alert) => a.objectName;

  it('newest first; by server, severity, object (any case) and period', () => {
    expect(filterAlerts(alerts, NO_FILTER, name, now).map((a) => a.nativeRef)).toEqual(['c', 'a', 'b']);
    expect(filterAlerts(alerts, { ...NO_FILTER, serverId: 't' }, name, now).map((a) => a.nativeRef)).toEqual(['b']);
    expect(filterAlerts(alerts, { ...NO_FILTER, level: 'warning' }, name, now).map((a) => a.nativeRef)).toEqual(['c', 'b']);
    expect(filterAlerts(alerts, { ...NO_FILTER, object: 'WEB' }, name, now).map((a) => a.nativeRef)).toEqual(['c', 'a']);
    expect(filterAlerts(alerts, { ...NO_FILTER, period: '1d' }, name, now).map((a) => a.nativeRef)).toEqual(['c', 'a']);
  });

  it('tasks by status, and by what they are when they name no object', () => {
    const tasks = [task('x', now - 5, { what: 'qmstart' }), task('y', now - 1, { status: 'failure', what: 'vzdump', objectName: '100' })];
    expect(filterTasks(tasks, { ...NO_FILTER, level: 'failure' }, (t) => t.objectName, now).map((t) => t.nativeRef)).toEqual(['y']);
    expect(filterTasks(tasks, { ...NO_FILTER, object: 'qm' }, (t) => t.objectName, now).map((t) => t.nativeRef)).toEqual(['x']);
  });
});
