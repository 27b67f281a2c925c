// argv of `polyvisor schedule …` → one typed command (pure, like args.ts).

import { WEEKDAYS, type PolicyFrequency, type PolicySnapshotType, type Weekday } from '../../shared/schedules';
import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

/** What a create or edit sets; absent = not given (edit leaves it as it is). */
export interface PolicyFields {
  policyName?: string;
  description?: string;
  vms?: string[];
  type?: PolicySnapshotType;
  frequency?: PolicyFrequency;
  keep?: number;
  timeZone?: string;
  enabled?: boolean;
}

export type ScheduleCommand =
  | ({ name: 'schedule list'; json: boolean } & ConnectOptions)
  | ({ name: 'schedule create'; fields: PolicyFields & Required<Pick<PolicyFields, 'policyName' | 'vms' | 'type' | 'frequency' | 'keep'>>; runner?: 'server' | 'polyvisor' } & ConnectOptions)
  | ({ name: 'schedule edit'; policy: string; fields: PolicyFields } & ConnectOptions)
  | ({ name: 'schedule enable' | 'schedule disable' | 'schedule run-now'; policy: string } & ConnectOptions)
  | ({ name: 'schedule delete'; policy: string; deleteSnapshots: boolean } & ConnectOptions)
  | ({ name: 'schedule history'; policy: string; json: boolean } & ConnectOptions)
  | { name: 'schedule run-due' | 'schedule install' | 'schedule uninstall' | 'schedule status' };

export const SCHEDULE_USAGE = `Snapshot policies (scheduled snapshots with retention; <policy> = id or name):
  schedule list [--json]
  schedule create --name N --vm V [--vm V]… --type disk|memory|quiesce --keep K
                  --every hourly [--minute M] | --every daily --at HH:MM | --every weekly --days mon,tue,… --at HH:MM
                  [--description D] [--time-zone ZONE] [--disabled] [--runner server|polyvisor]
                  (VMs of one server that runs policies itself, e.g. XenServer: the server runs it;
                   otherwise Polyvisor runs it from this computer, in ZONE or this computer's zone)
  schedule edit <policy> [the options of create]
  schedule enable <policy>  |  schedule disable <policy>
  schedule delete <policy> [--delete-snapshots]
  schedule run-now <policy>
  schedule history <policy> [--json]
  schedule run-due           run Polyvisor's own policies that are due (what the OS timer calls)
  schedule install           install the OS timer that runs "schedule run-due" while the app is closed
  schedule uninstall | schedule status`;

const FIELD_OPTIONS = {
  name: { type: 'string' },
  description: { type: 'string' },
  vm: { type: 'string', multiple: true },
  type: { type: 'string' },
  every: { type: 'string' },
  at: { type: 'string' },
  minute: { type: 'string' },
  days: { type: 'string' },
  keep: { type: 'string' },
  'time-zone': { type: 'string' },
  disabled: { type: 'boolean' },
  enabled: { type: 'boolean' },
} as const;

export function parseSchedule(sub: string | undefined, args: string[]): ScheduleCommand {
  switch (sub) {
    case 'list': {
      const { values } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 0);
      return { name: 'schedule list', json: !!values.json, ...connectOptions(values) };
    }
    case 'create': {
      const { values } = parse(args, { ...CONNECT_OPTIONS, ...FIELD_OPTIONS, runner: { type: 'string' } }, 0);
      const fields = policyFields(values, true);
      for (const [key, flag] of [['policyName', '--name'], ['vms', '--vm'], ['type', '--type'], ['frequency', '--every'], ['keep', '--keep']] as const) {
        if (fields[key] === undefined) throw usage(`schedule create: ${flag} is required`);
      }
      if (values.runner !== undefined && values.runner !== 'server' && values.runner !== 'polyvisor') throw usage('--runner must be server or polyvisor');
      return { name: 'schedule create', fields: fields as Extract<ScheduleCommand, { name: 'schedule create' }>['fields'], runner: values.runner, ...connectOptions(values) };
    }
    case 'edit': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, ...FIELD_OPTIONS }, 1);
      const fields = policyFields(values, false);
      if (Object.keys(fields).length === 0) throw usage('schedule edit: nothing to change (give --name, --vm, --every, --keep, …)');
      return { name: 'schedule edit', policy: positionals[0], fields, ...connectOptions(values) };
    }
    case 'enable':
    case 'disable':
    case 'run-now': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 1);
      return { name: `schedule ${sub}`, policy: positionals[0], ...connectOptions(values) };
    }
    case 'delete': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, 'delete-snapshots': { type: 'boolean' } }, 1);
      return { name: 'schedule delete', policy: positionals[0], deleteSnapshots: !!values['delete-snapshots'], ...connectOptions(values) };
    }
    case 'history': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 1);
      return { name: 'schedule history', policy: positionals[0], json: !!values.json, ...connectOptions(values) };
    }
    case 'run-due':
    case 'install':
    case 'uninstall':
    case 'status':
      parse(args, {}, 0);
      return { name: `schedule ${sub}` };
    default:
      throw usage(sub ? `Unknown command "schedule ${sub}"` : 'schedule: expected list, create, edit, enable, disable, delete, run-now, history, run-due, install, uninstall or status');
  }
}

type FieldValues = { [K in keyof typeof FIELD_OPTIONS]?: (typeof FIELD_OPTIONS)[K] extends { multiple: true } ? string[] : (typeof FIELD_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

function policyFields(values: FieldValues, creating: boolean): PolicyFields {
  const fields: PolicyFields = {};
  if (values.name !== undefined) {
    if (!values.name.trim()) throw usage('--name must not be empty');
    fields.policyName = values.name;
  }
  if (values.description !== undefined) fields.description = values.description;
  if (values.vm !== undefined) fields.vms = values.vm;
  if (values.type !== undefined) {
    if (!['disk', 'memory', 'quiesce'].includes(values.type)) throw usage('--type must be disk, memory or quiesce');
    fields.type = values.type as PolicySnapshotType;
  }
  if (values.keep !== undefined) fields.keep = wholeNumber(values.keep, '--keep', 1, 1000);
  if (values['time-zone'] !== undefined) fields.timeZone = values['time-zone'];
  if (values.disabled && values.enabled) throw usage('Give --enabled or --disabled, not both');
  if (values.disabled) fields.enabled = false;
  else if (values.enabled || creating) fields.enabled = true;
  const frequency = parseFrequency(values);
  if (frequency) fields.frequency = frequency;
  return fields;
}

function parseFrequency(values: FieldValues): PolicyFrequency | undefined {
  const { every, at, minute, days } = values;
  if (every === undefined) {
    if (at !== undefined || minute !== undefined || days !== undefined) throw usage('--at, --minute and --days go with --every');
    return undefined;
  }
  switch (every) {
    case 'hourly':
      if (at !== undefined || days !== undefined) throw usage('--every hourly takes --minute M (not --at or --days)');
      return { every: 'hourly', minute: minute === undefined ? 0 : wholeNumber(minute, '--minute', 0, 59) };
    case 'daily': {
      if (minute !== undefined || days !== undefined) throw usage('--every daily takes --at HH:MM (not --minute or --days)');
      return { every: 'daily', ...clockTime(at) };
    }
    case 'weekly': {
      if (minute !== undefined) throw usage('--every weekly takes --days and --at HH:MM (not --minute)');
      if (days === undefined) throw usage('--every weekly needs --days, e.g. --days mon,thu');
      return { every: 'weekly', days: weekdays(days), ...clockTime(at) };
    }
    default:
      throw usage('--every must be hourly, daily or weekly');
  }
}

function clockTime(at: string | undefined): { hour: number; minute: number } {
  const m = at === undefined ? null : /^(\d{1,2}):(\d{2})$/.exec(at);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw usage(`--at needs a time of day as HH:MM (00:00-23:59)${at === undefined ? '' : `, not "${at}"`}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

function weekdays(text: string): Weekday[] {
  const days = text
    .split(',')
    .map((d) => d.trim().toLowerCase().slice(0, 3))
    .filter(Boolean);
  const unknown = days.filter((d) => !(WEEKDAYS as readonly string[]).includes(d));
  if (unknown.length || days.length === 0) throw usage(`--days takes ${WEEKDAYS.join(',')} (any of them, comma-separated), not "${text}"`);
  if (new Set(days).size !== days.length) throw usage(`--days lists a day twice: "${text}"`);
  return days as Weekday[];
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw usage(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  return n;
}
