// The time arithmetic of snapshot policies, as tables: each row a frequency in a
// zone, a moment, and the runs that follow, written as UTC instants checked by
// hand against the zone's rules (Europe/Berlin: CET +1 / CEST +2, clocks change
// at 01:00 UTC on the last Sundays of March and October; America/New_York: EST -5
// / EDT -4, clocks change at 02:00 local on the second Sunday of March and the
// first Sunday of November).

import { describe, expect, it } from 'vitest';
import { cronPattern, decideDue, latestRunAtOrBefore, nextRunAfter } from '../../electron/core/schedules/schedule-time';
import type { PolicyFrequency } from '../../shared/schedules';

function runsAfter(frequency: PolicyFrequency, zone: string, from: string, count: number): string[] {
  const runs: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < count; i++) {
    const next = nextRunAfter(frequency, zone, at);
    if (!next) break;
    runs.push(next.toISOString());
    at = next;
  }
  return runs;
}

const daily0230: PolicyFrequency = { every: 'daily', hour: 2, minute: 30 };
const hourly15: PolicyFrequency = { every: 'hourly', minute: 15 };

describe('cron patterns', () => {
  it.each([
    [{ every: 'hourly', minute: 7 }, '7 * * * *'],
    [{ every: 'daily', hour: 23, minute: 0 }, '0 23 * * *'],
    [{ every: 'weekly', days: ['sun', 'mon', 'fri'], hour: 9, minute: 5 }, '5 9 * * 0,1,5'],
    [{ every: 'weekly', days: ['sat', 'wed'], hour: 0, minute: 0 }, '0 0 * * 3,6'],
  ] satisfies Array<[PolicyFrequency, string]>)('%j → %s', (frequency, pattern) => {
    expect(cronPattern(frequency)).toBe(pattern);
  });
});

describe('runs across DST transitions', () => {
  it.each([
    // the spring-forward day: 02:30 does not exist; the run happens when the clock has jumped (03:00), once
    ['daily 02:30, Berlin, spring forward', daily0230, 'Europe/Berlin', '2025-03-29T12:00:00Z', ['2025-03-30T01:00:00.000Z', '2025-03-31T00:30:00.000Z', '2025-04-01T00:30:00.000Z']],
    ['daily 02:30, New York, spring forward', daily0230, 'America/New_York', '2025-03-08T12:00:00Z', ['2025-03-09T07:00:00.000Z', '2025-03-10T06:30:00.000Z', '2025-03-11T06:30:00.000Z']],
    // before and after the change the same wall-clock time is a different UTC instant
    ['daily 02:30, Berlin, fall back', daily0230, 'Europe/Berlin', '2025-10-25T12:00:00Z', ['2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z']],
    // 01:30 happens twice in New York on 2 November 2025: a daily run takes the first one only
    ['daily 01:30, New York, fall back', { every: 'daily', hour: 1, minute: 30 }, 'America/New_York', '2025-11-01T12:00:00Z', ['2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z']],
    // hourly across the repeated hour: one run in every real hour, both 01:15 EDT and 01:15 EST
    [
      'hourly :15, New York, fall back',
      hourly15,
      'America/New_York',
      '2025-11-02T03:00:00Z',
      ['2025-11-02T03:15:00.000Z', '2025-11-02T04:15:00.000Z', '2025-11-02T05:15:00.000Z', '2025-11-02T06:15:00.000Z', '2025-11-02T07:15:00.000Z'],
    ],
    [
      'hourly :15, Berlin, fall back',
      hourly15,
      'Europe/Berlin',
      '2025-10-25T22:30:00Z',
      ['2025-10-25T23:15:00.000Z', '2025-10-26T00:15:00.000Z', '2025-10-26T01:15:00.000Z', '2025-10-26T02:15:00.000Z'],
    ],
    // hourly across the missing hour: 02:15 does not exist, so the hour has no run; the next real hours each have one
    ['hourly :15, Berlin, spring forward', hourly15, 'Europe/Berlin', '2025-03-30T00:00:00Z', ['2025-03-30T00:15:00.000Z', '2025-03-30T01:15:00.000Z', '2025-03-30T02:15:00.000Z']],
    // weekly on chosen days, across the spring change: 09:00 local keeps its wall-clock time
    [
      'weekly Mon+Wed 09:00, Berlin',
      { every: 'weekly', days: ['mon', 'wed'], hour: 9, minute: 0 },
      'Europe/Berlin',
      '2025-03-20T12:00:00Z',
      ['2025-03-24T08:00:00.000Z', '2025-03-26T08:00:00.000Z', '2025-03-31T07:00:00.000Z', '2025-04-02T07:00:00.000Z'],
    ],
    [
      'weekly Sun 02:30, New York, the spring-forward Sunday',
      { every: 'weekly', days: ['sun'], hour: 2, minute: 30 },
      'America/New_York',
      '2025-03-02T12:00:00Z',
      ['2025-03-09T07:00:00.000Z', '2025-03-16T06:30:00.000Z'],
    ],
    [
      'weekly Fri+Sat 23:45, New York, across the fall change',
      { every: 'weekly', days: ['sat', 'fri'], hour: 23, minute: 45 },
      'America/New_York',
      '2025-10-30T12:00:00Z',
      ['2025-11-01T03:45:00.000Z', '2025-11-02T03:45:00.000Z', '2025-11-08T04:45:00.000Z'],
    ],
  ] satisfies Array<[string, PolicyFrequency, string, string, string[]]>)('%s', (_label, frequency, zone, from, expected) => {
    expect(runsAfter(frequency, zone, from, expected.length)).toEqual(expected);
  });

  it('a zone it does not know is an INVALID_INPUT, not a crash', () => {
    expect(() => nextRunAfter(hourly15, 'Not/AZone', new Date())).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('the latest run at or before a moment', () => {
  it.each([
    ['exactly at a run', '2025-01-01T10:15:00.000Z', '2025-01-01T10:15:00.000Z'],
    ['just after a run', '2025-01-01T10:15:00.999Z', '2025-01-01T10:15:00.000Z'],
    ['just before a run', '2025-01-01T10:14:59.999Z', '2025-01-01T09:15:00.000Z'],
  ])('%s', (_label, at, expected) => {
    expect(latestRunAtOrBefore(hourly15, 'Europe/Berlin', new Date(at))?.toISOString()).toBe(expected);
  });
});

describe('due decisions and catch-up', () => {
  const since = new Date('2025-01-01T10:20:00Z');
  it.each([
    // [what, now, due, trigger, slot, missed, next]
    ['nothing has passed', '2025-01-01T11:14:00Z', false, undefined, undefined, undefined, '2025-01-01T11:15:00.000Z'],
    ['the slot has just come', '2025-01-01T11:15:00Z', true, 'schedule', '2025-01-01T11:15:00.000Z', 1, '2025-01-01T12:15:00.000Z'],
    ['the OS timer woke a few minutes later', '2025-01-01T11:19:30Z', true, 'schedule', '2025-01-01T11:15:00.000Z', 1, '2025-01-01T12:15:00.000Z'],
    ['one slot, found late', '2025-01-01T11:40:00Z', true, 'catch-up', '2025-01-01T11:15:00.000Z', 1, '2025-01-01T12:15:00.000Z'],
    // asleep for a day: 24 slots passed, one run, for the latest slot
    ['asleep for a day', '2025-01-02T10:16:00Z', true, 'catch-up', '2025-01-02T10:15:00.000Z', 24, '2025-01-02T11:15:00.000Z'],
  ])('%s', (_label, now, due, trigger, slot, missed, next) => {
    const d = decideDue(hourly15, 'Europe/Berlin', since, new Date(now));
    expect(d.due).toBe(due);
    expect(d.next?.toISOString()).toBe(next);
    if (d.due) expect({ trigger: d.trigger, slot: d.slot.toISOString(), missed: d.missed }).toEqual({ trigger, slot, missed });
  });

  it('after a run is recorded for its slot, the same minute is not due again (two run-due at once take one snapshot)', () => {
    const now = new Date('2025-01-01T11:15:30Z');
    const first = decideDue(hourly15, 'Europe/Berlin', since, now);
    expect(first.due).toBe(true);
    if (!first.due) return;
    expect(decideDue(hourly15, 'Europe/Berlin', first.slot, now).due).toBe(false);
    expect(decideDue(hourly15, 'Europe/Berlin', first.slot, new Date('2025-01-01T11:59:00Z')).due).toBe(false);
    expect(decideDue(hourly15, 'Europe/Berlin', first.slot, new Date('2025-01-01T12:15:00Z')).due).toBe(true);
  });

  it('a daily policy asleep across the spring-forward night in New York runs once when it wakes', () => {
    const d = decideDue(daily0230, 'America/New_York', new Date('2025-03-07T12:00:00Z'), new Date('2025-03-10T14:00:00Z'));
    expect(d).toMatchObject({ due: true, trigger: 'catch-up', missed: 3 });
    if (d.due) expect([d.slot.toISOString(), d.next?.toISOString()]).toEqual(['2025-03-10T06:30:00.000Z', '2025-03-11T06:30:00.000Z']);
  });

  it('a weekly policy that missed two weeks in Berlin runs once, for the latest day', () => {
    const weekly: PolicyFrequency = { every: 'weekly', days: ['tue', 'thu'], hour: 18, minute: 0 };
    const d = decideDue(weekly, 'Europe/Berlin', new Date('2025-03-17T00:00:00Z'), new Date('2025-03-31T09:00:00Z'));
    // Tue 18, Thu 20, Tue 25, Thu 27 (the 27th at 18:00 CET = 17:00 UTC; summer time begins on the 30th)
    expect(d).toMatchObject({ due: true, trigger: 'catch-up', missed: 4 });
    if (d.due) expect([d.slot.toISOString(), d.next?.toISOString()]).toEqual(['2025-03-27T17:00:00.000Z', '2025-04-01T16:00:00.000Z']);
  });
});
