// `polyvisor alerts`, `alerts dismiss` and `tasks`: what the Notifications view shows,
// read after connecting the servers (each loads its alerts and tasks as it connects).

import type { Alert, ServerTask } from '../../shared/notifications';
import { PolyvisorError } from '../../shared/errors';
import type { PolyvisorCore } from '../core/app-core';
import { connectServers } from './connect';
import type { NotificationCommand } from './notification-args';
import type { CliOutput } from './schedule-commands';
import { formatError, type CliSession } from './session';

export async function executeNotifications(command: NotificationCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const { servers, connected, failures } = await connectServers(command, session);
  for (const f of failures) io.err(`Warning: ${f.server.name}: ${formatError(f.error)}`);
  if (connected.length === 0 && failures.length > 0) throw new PolyvisorError(failures[0]!.error);
  const names = new Map(servers.map((s) => [s.id, s.name]));
  const serverName = (id: string) => names.get(id) ?? id;
  const since = 'sinceMs' in command && command.sinceMs !== undefined ? Date.now() - command.sinceMs : undefined;
  const only = command.server ? servers[0]?.id : undefined;

  if (command.name === 'alerts dismiss') {
    const alerts = await core.invoke('alerts:list', only ? { serverId: only } : {});
    const ids = command.ids.map((given) => alerts.find((a) => a.id === given || a.nativeRef === given)?.id ?? given);
    const outcome = await core.invoke('alerts:dismiss', ids);
    for (const id of outcome.dismissed) io.err(`Dismissed ${id}`);
    for (const f of outcome.failed) io.err(`Not dismissed ${f.id}: ${f.message} (${f.code})`);
    if (outcome.failed.length) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${outcome.failed.length} of ${ids.length} alerts were not dismissed` });
    return;
  }
  if (command.name === 'alerts') {
    const alerts = await core.invoke('alerts:list', { ...(only ? { serverId: only } : {}), ...(since !== undefined ? { since } : {}) });
    io.out(command.json ? JSON.stringify(alerts, null, 2) : alertTable(alerts, serverName));
    return;
  }
  let tasks = await core.invoke('serverTasks:list', { ...(only ? { serverId: only } : {}), ...(since !== undefined ? { since } : {}) });
  if (!command.allUsers) {
    const login = new Map(servers.map((s) => [s.id, s.username]));
    const unknown = tasks.filter((t) => t.user === undefined).length;
    tasks = tasks.filter((t) => t.user !== undefined && t.user.split('@')[0] === (login.get(t.serverId) ?? '').split('@')[0]);
    if (unknown) io.err(`Note: ${unknown} tasks do not say who started them (the platform does not record it); --all-users shows them.`);
  }
  io.out(command.json ? JSON.stringify(tasks, null, 2) : taskTable(tasks, serverName));
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_c, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function alertTable(alerts: Alert[], serverName: (id: string) => string): string {
  if (!alerts.length) return 'No alerts.';
  return table([
    ['SEVERITY', 'TIME', 'SERVER', 'OBJECT', 'ALERT', 'ID'],
    ...alerts.map((a) => [a.severity, when(a.time), serverName(a.serverId), a.objectName ?? '', a.body ? `${a.title}: ${a.body.split('\n')[0]}` : a.title, a.id]),
  ]);
}

function taskTable(tasks: ServerTask[], serverName: (id: string) => string): string {
  if (!tasks.length) return 'No tasks.';
  return table([
    ['STARTED', 'SERVER', 'USER', 'STATUS', 'PROGRESS', 'OBJECT', 'WHAT'],
    ...tasks.map((t) => [
      when(t.startedAt),
      serverName(t.serverId),
      t.user ?? '',
      t.error ? `${t.status} (${t.error.code})` : t.status,
      t.progress === undefined || t.kind === 'event' ? '' : `${Math.round(t.progress * 100)} %`,
      t.objectName ?? '',
      t.what,
    ]),
  ]);
}
