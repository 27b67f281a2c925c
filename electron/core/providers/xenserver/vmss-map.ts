// A VMSS record as a server policy and back: type snapshot/checkpoint/
// snapshot_with_quiesce = disk/memory/quiesce; the schedule map's min, hour and
// days (Monday,Wednesday) = our frequency. What xapi accepts (min 0/15/30/45,
// 1-10 snapshots kept) it checks itself and answers INVALID_VALUE: Polyvisor
// passes its answer on rather than guessing it.

import { WEEKDAYS, type PolicyFrequency, type PolicySnapshotType, type Weekday } from '../../../../shared/schedules';
import type { ServerPolicy } from '../provider';
import { bool, isoTime, map, num, refs, str, type XapiRecord } from './records';

export const VMSS_TYPES: Record<PolicySnapshotType, string> = {
  disk: 'snapshot',
  memory: 'checkpoint',
  quiesce: 'snapshot_with_quiesce',
};

const XAPI_DAYS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** The frequency as VMSS's `frequency` and `schedule` fields. */
export function toVmssSchedule(frequency: PolicyFrequency): { frequency: string; schedule: Record<string, string> } {
  switch (frequency.every) {
    case 'hourly':
      return { frequency: 'hourly', schedule: { min: String(frequency.minute) } };
    case 'daily':
      return { frequency: 'daily', schedule: { hour: String(frequency.hour), min: String(frequency.minute) } };
    case 'weekly':
      return {
        frequency: 'weekly',
        schedule: { days: frequency.days.map((d) => XAPI_DAYS[d]).join(','), hour: String(frequency.hour), min: String(frequency.minute) },
      };
  }
}

function readDays(text: string): Weekday[] {
  const named = text.split(',').map((d) => d.trim().toLowerCase());
  return WEEKDAYS.filter((d) => named.includes(XAPI_DAYS[d].toLowerCase()));
}

/** VMSS frequency and schedule as ours; a missing key reads as xapi's default (0, Monday). */
export function fromVmssSchedule(frequency: unknown, schedule: unknown): PolicyFrequency {
  const s = map(schedule);
  const minute = num(s.min) ?? 0;
  const hour = num(s.hour) ?? 0;
  switch (str(frequency)) {
    case 'hourly':
      return { every: 'hourly', minute };
    case 'weekly': {
      const days = readDays(str(s.days));
      return { every: 'weekly', days: days.length ? days : ['mon'], hour, minute };
    }
    default:
      return { every: 'daily', hour, minute };
  }
}

function fromVmssType(type: unknown): PolicySnapshotType {
  switch (str(type)) {
    case 'checkpoint':
      return 'memory';
    case 'snapshot_with_quiesce':
      return 'quiesce';
    default:
      return 'disk';
  }
}

const NEVER = '1970-01-01T00:00:00.000Z';

export function toServerPolicy(ref: string, record: XapiRecord, timeZone: string): ServerPolicy {
  const lastRun = isoTime(record.last_run_time);
  return {
    nativeRef: ref,
    name: str(record.name_label),
    description: str(record.name_description),
    type: fromVmssType(record.type),
    frequency: fromVmssSchedule(record.frequency, record.schedule),
    timeZone,
    retain: num(record.retained_snapshots) ?? 7,
    enabled: bool(record.enabled),
    memberRefs: refs(record.VMs),
    ...(lastRun && lastRun !== NEVER ? { lastRunAt: lastRun } : {}),
  };
}
