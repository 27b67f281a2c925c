// One crontab line (Linux without systemd): every few minutes, with the profile and
// the user's session bus (so the keychain can be reached), ending in a marker so it
// is found and replaced, never duplicated, and removed exactly.

import { fullArgv, profileTag, type RunnerSpec } from './runner-spec';

export function cronMarker(home: string): string {
  return `# polyvisor-schedules-${profileTag(home)}`;
}

/** `uid`: the user's id, for the session bus at /run/user/<uid>/bus (where a desktop session puts it). */
export function crontabLine(spec: RunnerSpec, uid: number): string {
  const env = [`POLYVISOR_HOME=${shellQuote(spec.home)}`, `DBUS_SESSION_BUS_ADDRESS=${shellQuote(`unix:path=/run/user/${uid}/bus`)}`];
  const log = shellQuote(`${spec.home}/schedule-runner.log`);
  // cron hands the command to sh, but a bare % in it ends the command: escaped, it stays in the text
  const command = `${env.join(' ')} ${fullArgv(spec).map(shellQuote).join(' ')} > ${log} 2>&1`.replace(/%/g, '\\%');
  return `*/${spec.intervalMinutes} * * * * ${command} ${cronMarker(spec.home)}`;
}

/** The crontab with this profile's line put in (replacing an earlier one) or, with `line` undefined, taken out. */
export function withCronLine(crontab: string, home: string, line: string | undefined): string {
  const marker = cronMarker(home);
  const kept = crontab.split('\n').filter((l) => l !== '' && !l.endsWith(marker));
  if (line) kept.push(line);
  return kept.length ? `${kept.join('\n')}\n` : '';
}

function shellQuote(word: string): string {
  return /^[\w@+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
