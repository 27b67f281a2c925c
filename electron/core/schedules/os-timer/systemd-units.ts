// A systemd user timer and the one-shot service it starts (Linux with systemd).
// Persistent=true: a run missed while the computer was off happens once at boot;
// `run-due` itself also catches up once, so either way it is one run.

import { fullArgv, profileTag, type RunnerSpec } from './runner-spec';

export function systemdUnitName(home: string): string {
  return `polyvisor-schedules-${profileTag(home)}`;
}

export function systemdUnits(spec: RunnerSpec): { service: { name: string; text: string }; timer: { name: string; text: string } } {
  const unit = systemdUnitName(spec.home);
  const service = [
    '[Unit]',
    `Description=Polyvisor: run the due snapshot policies of ${specifiersKept(spec.home)}`,
    '',
    '[Service]',
    'Type=oneshot',
    `Environment=${quoted(specifiersKept(`POLYVISOR_HOME=${spec.home}`))}`,
    `ExecStart=${fullArgv(spec).map((word) => quoted(specifiersKept(word).replace(/\$/g, '$$$$'))).join(' ')}`,
    // a run never needs more than this; a hung server must not block the next ones forever
    'TimeoutStartSec=1h',
    '',
  ].join('\n');
  const timer = [
    '[Unit]',
    `Description=Polyvisor: due snapshot policies every ${spec.intervalMinutes} minutes (${specifiersKept(spec.home)})`,
    '',
    '[Timer]',
    `OnCalendar=*:0/${spec.intervalMinutes}`,
    'Persistent=true',
    'AccuracySec=30s',
    `Unit=${unit}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
  return { service: { name: `${unit}.service`, text: service }, timer: { name: `${unit}.timer`, text: timer } };
}

/** A value in double quotes, as systemd reads quoted words. */
function quoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `%` starts a specifier in unit files (and `$` a variable in ExecStart=, doubled by the caller): doubled, it stands for itself. */
function specifiersKept(text: string): string {
  return text.replace(/%/g, '%%').replace(/[\r\n]/g, ' ');
}
