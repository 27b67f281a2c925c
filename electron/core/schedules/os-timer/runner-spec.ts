// What every OS timer runs: `polyvisor schedule run-due` for one profile, every few
// minutes. Each profile gets its own timer (named after a hash of its folder), so
// side-by-side profiles (POLYVISOR_HOME) do not replace each other's.

import { createHash } from 'node:crypto';

export interface RunnerCommand {
  /** the executable (node, or the app's own binary) */
  program: string;
  /** the arguments before `schedule run-due` (e.g. the CLI script) */
  args: string[];
}

export interface RunnerSpec {
  /** the profile folder: POLYVISOR_HOME of the runs */
  home: string;
  command: RunnerCommand;
  intervalMinutes: number;
}

export const RUN_DUE_ARGS = ['schedule', 'run-due'] as const;
export const DEFAULT_INTERVAL_MINUTES = 5;

/** A short stable id of the profile, for unit, label and task names. */
export function profileTag(home: string): string {
  return createHash('sha256').update(home).digest('hex').slice(0, 10);
}

export function fullArgv(spec: RunnerSpec): string[] {
  return [spec.command.program, ...spec.command.args, ...RUN_DUE_ARGS];
}

/** How the command reads to a person (RunnerStatus.command). */
export function displayCommand(spec: RunnerSpec): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, '\\$1')}"`);
  return `POLYVISOR_HOME=${quote(spec.home)} ${fullArgv(spec).map(quote).join(' ')}`;
}

/** Text for an XML element or attribute. */
export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
