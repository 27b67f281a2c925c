// The time arithmetic of snapshot policies: when a frequency runs in a time zone,
// and whether a run is due now. croner does the calendar and DST work (a time
// that does not exist on a spring-forward day runs when the clock has jumped; a
// fixed time that occurs twice on a fall-back day runs once; "hourly" runs in
// every real hour). Catch-up is like systemd's Persistent=: however many runs
// were missed (the computer was asleep or off), the policy runs once.

import { Cron } from 'croner';
import { PolyvisorError } from '../../../shared/errors';
import type { PolicyFrequency, Weekday } from '../../../shared/schedules';

const CRON_DAY: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** A run this much after its slot still counts as on time (the OS timer wakes every few minutes). */
export const ON_TIME_GRACE_MS = 10 * 60_000;

/** Missed slots are counted up to this many (only for the words in the history). */
const MISSED_COUNT_LIMIT = 1000;

/** The five-field cron pattern of a frequency (minute hour day-of-month month day-of-week). */
export function cronPattern(frequency: PolicyFrequency): string {
  switch (frequency.every) {
    case 'hourly':
      return `${frequency.minute} * * * *`;
    case 'daily':
      return `${frequency.minute} ${frequency.hour} * * *`;
    case 'weekly': {
      const days = [...new Set(frequency.days)].map((d) => CRON_DAY[d]).sort((a, b) => a - b);
      return `${frequency.minute} ${frequency.hour} * * ${days.join(',')}`;
    }
  }
}

function cronFor(frequency: PolicyFrequency, timeZone: string): Cron {
  if (!isTimeZone(timeZone)) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `"${timeZone}" is not a time zone name (IANA, e.g. Europe/Berlin).`, field: 'timeZone' });
  try {
    return new Cron(cronPattern(frequency), { timezone: timeZone, paused: true, mode: '5-part' });
  } catch (e) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `The schedule cannot be read: ${e instanceof Error ? e.message : String(e)}`, field: 'frequency' });
  }
}

/** The first run strictly after `after`. */
export function nextRunAfter(frequency: PolicyFrequency, timeZone: string, after: Date): Date | null {
  return cronFor(frequency, timeZone).nextRun(after);
}

/** The latest run at or before `at`. */
export function latestRunAtOrBefore(frequency: PolicyFrequency, timeZone: string, at: Date): Date | null {
  // croner counts a run in the same second as the reference, but not one exactly at it
  return cronFor(frequency, timeZone).previousRuns(1, new Date(at.getTime() + 1))[0] ?? null;
}

export type DueDecision =
  | { due: false; next: Date | null }
  | {
      due: true;
      /** the slot this run stands for: the latest one at or before now */
      slot: Date;
      trigger: 'schedule' | 'catch-up';
      /** slots that passed without a run, this one included */
      missed: number;
      /** the run after this one */
      next: Date | null;
    };

/**
 * Whether a policy whose last handled slot (or start of schedule) is `since` is due at `now`.
 * Any number of passed slots make one run, for the latest of them.
 */
export function decideDue(frequency: PolicyFrequency, timeZone: string, since: Date, now: Date, graceMs = ON_TIME_GRACE_MS): DueDecision {
  const cron = cronFor(frequency, timeZone);
  const first = cron.nextRun(since);
  if (!first || first.getTime() > now.getTime()) return { due: false, next: first };
  const slot = cron.previousRuns(1, new Date(now.getTime() + 1))[0] ?? first;
  let missed = 1;
  for (let t: Date | null = first; t && t.getTime() < slot.getTime() && missed < MISSED_COUNT_LIMIT; t = cron.nextRun(t)) missed++;
  const late = now.getTime() - slot.getTime() > graceMs;
  return { due: true, slot, trigger: missed > 1 || late ? 'catch-up' : 'schedule', missed, next: cron.nextRun(slot) };
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false; // Intl refuses names it does not know: that is the answer
  }
}

/** The computer's own IANA zone (the default for Polyvisor's own policies). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
