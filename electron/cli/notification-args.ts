// argv of `polyvisor alerts …` and `polyvisor tasks …` → one typed command (pure, like args.ts).

import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

export type NotificationCommand =
  | ({ name: 'alerts'; sinceMs?: number; json: boolean } & ConnectOptions)
  | ({ name: 'alerts dismiss'; ids: string[] } & ConnectOptions)
  | ({ name: 'tasks'; allUsers: boolean; sinceMs?: number; json: boolean } & ConnectOptions);

export const NOTIFICATION_USAGE = `Alerts and the servers' own tasks (<duration> = 30m, 12h, 1d, 2w):
  alerts [--server S] [--since <duration>] [--json]      the servers' alerts, newest first, with their ids
  alerts dismiss <id>…                                   deletes alerts on their servers (where the server can)
  tasks [--all-users] [--since <duration>] [--json]      tasks and events on the servers; only yours (the
                                                         server's login user) unless --all-users`;

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "1d" → milliseconds. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw usage(`${option} takes a duration such as 30m, 12h, 1d or 2w, not "${text}"`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

export function parseAlerts(sub: string | undefined, rest: string[]): NotificationCommand {
  if (sub === 'dismiss') {
    const { values, positionals } = parse(rest, { ...CONNECT_OPTIONS }, -1, '<id>…');
    return { name: 'alerts dismiss', ids: positionals, ...connectOptions(values) };
  }
  const args = sub === undefined ? rest : [sub, ...rest];
  const { values } = parse(args, { ...CONNECT_OPTIONS, since: { type: 'string' }, json: { type: 'boolean' } }, 0);
  return { name: 'alerts', sinceMs: values.since === undefined ? undefined : parseDuration(values.since, '--since'), json: !!values.json, ...connectOptions(values) };
}

export function parseTasks(args: string[]): NotificationCommand {
  const { values } = parse(args, { ...CONNECT_OPTIONS, 'all-users': { type: 'boolean' }, since: { type: 'string' }, json: { type: 'boolean' } }, 0);
  return {
    name: 'tasks',
    allUsers: !!values['all-users'],
    sinceMs: values.since === undefined ? undefined : parseDuration(values.since, '--since'),
    json: !!values.json,
    ...connectOptions(values),
  };
}
