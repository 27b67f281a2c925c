// When a snapshot schedule comes due: its schedule map read as a cron-style time
// in the pool master's local zone (xapi: "Date/time-related information is in
// Local Timezone"), the arithmetic left to croner.
import { Cron } from 'croner';
import { ocamlInt, VMSS_DAYS, type VmssFrequency } from './schedule-map';

const CRON_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** The cron pattern of a stored (valid) schedule; undefined when it cannot run. */
export function cronPattern(frequency: VmssFrequency, schedule: Record<string, string>): string | undefined {
  const min = ocamlInt(schedule.min ?? '0');
  const hour = ocamlInt(schedule.hour ?? '0');
  if (min === undefined || hour === undefined) return undefined;
  switch (frequency) {
    case 'hourly':
      return `${min} * * * *`;
    case 'daily':
      return `${min} ${hour} * * *`;
    case 'weekly': {
      const days = (schedule.days ?? 'Monday').split(',').map((d) => CRON_DAYS[VMSS_DAYS.findIndex((x) => x.toLowerCase() === d.toLowerCase())]);
      if (days.some((d) => d === undefined)) return undefined;
      return `${min} ${hour} * * ${days.join(',')}`;
    }
  }
}

/** Due times in (fromMs, toMs], oldest first, at most `limit`. */
export function occurrencesBetween(pattern: string, timeZone: string, fromMs: number, toMs: number, limit: number): number[] {
  const cron = new Cron(pattern, { timezone: timeZone, paused: true });
  const out: number[] = [];
  let at = new Date(fromMs);
  while (out.length < limit) {
    const next = cron.nextRun(at);
    if (!next || next.getTime() > toMs) break;
    out.push(next.getTime());
    at = next;
  }
  return out;
}
