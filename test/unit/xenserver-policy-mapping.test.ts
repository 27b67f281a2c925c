// The XAPI provider's policy arithmetic: our frequencies as VMSS schedule maps and
// back, and the zone a pool master's two clocks reveal.

import { describe, expect, it } from 'vitest';
import type { PolicyFrequency } from '../../shared/schedules';
import { offsetMinutes, zoneForOffset } from '../../electron/core/providers/xenserver/server-zone';
import { fromVmssSchedule, toServerPolicy, toVmssSchedule } from '../../electron/core/providers/xenserver/vmss-map';

describe('frequencies as VMSS schedules', () => {
  it.each<[PolicyFrequency, string, Record<string, string>]>([
    [{ every: 'hourly', minute: 45 }, 'hourly', { min: '45' }],
    [{ every: 'daily', hour: 2, minute: 30 }, 'daily', { hour: '2', min: '30' }],
    [{ every: 'weekly', days: ['mon', 'thu', 'sun'], hour: 23, minute: 0 }, 'weekly', { days: 'Monday,Thursday,Sunday', hour: '23', min: '0' }],
  ])('%j ⇄ %s %j', (ours, frequency, schedule) => {
    expect(toVmssSchedule(ours)).toEqual({ frequency, schedule });
    expect(fromVmssSchedule(frequency, schedule)).toEqual(ours);
  });

  it('reads what xapi may hold: any case, missing keys at xapi\'s defaults (0, Monday)', () => {
    expect(fromVmssSchedule('weekly', { days: 'friday,MONDAY' })).toEqual({ every: 'weekly', days: ['mon', 'fri'], hour: 0, minute: 0 });
    expect(fromVmssSchedule('weekly', {})).toEqual({ every: 'weekly', days: ['mon'], hour: 0, minute: 0 });
    expect(fromVmssSchedule('hourly', { min: '15', hour: '3' })).toEqual({ every: 'hourly', minute: 15 });
  });

  it('a VMSS record as a server policy (XML-RPC ints as strings; the epoch is "never run")', () => {
    const record = {
      name_label: 'n',
      name_description: 'd',
      type: 'checkpoint',
      frequency: 'daily',
      schedule: { hour: '1', min: '15' },
      retained_snapshots: '4',
      enabled: true,
      VMs: ['OpaqueRef:a'],
      last_run_time: '19700101T00:00:00Z',
    };
    expect(toServerPolicy('OpaqueRef:p', record, 'UTC')).toEqual({
      nativeRef: 'OpaqueRef:p',
      name: 'n',
      description: 'd',
      type: 'memory',
      frequency: { every: 'daily', hour: 1, minute: 15 },
      timeZone: 'UTC',
      retain: 4,
      enabled: true,
      memberRefs: ['OpaqueRef:a'],
    });
    expect(toServerPolicy('OpaqueRef:p', { ...record, last_run_time: '20260301T02:15:00Z' }, 'UTC').lastRunAt).toBe('2026-03-01T02:15:00.000Z');
  });
});

describe('the master\'s zone from its clocks', () => {
  it.each<[string, unknown, unknown, number]>([
    ['UTC', '20260301T10:00:00Z', '20260301T10:00:00', 0],
    ['UTC+8', '20260301T10:00:00Z', '20260301T18:00:01', 480],
    ['UTC-5 across midnight', '20260301T02:00:00Z', '20260228T21:00:00', -300],
    ['UTC+5:30', '20260301T10:00:00Z', '20260301T15:30:00', 330],
    ['UTC+5:45', '20260301T10:00:00Z', '20260301T15:45:00', 345],
    ['a local time that carries its offset', '20260301T10:00:00Z', '20260301T11:00:00+01:00', 60],
    ['XML-RPC untyped and typed alike', '2026-03-01T10:00:00Z', '2026-03-01T12:00:00', 120],
  ])('%s', (_what, utc, local, minutes) => {
    expect(offsetMinutes(utc, local)).toBe(minutes);
  });

  it('gives up on clocks it cannot read', () => {
    expect(offsetMinutes('', '20260301T10:00:00')).toBeUndefined();
    expect(offsetMinutes('20260301T10:00:00Z', 'not a time')).toBeUndefined();
  });

  it.each<[number, string]>([
    [0, 'UTC'],
    [480, 'Etc/GMT-8'],
    [-300, 'Etc/GMT+5'],
    [840, 'Etc/GMT-14'],
  ])('offset %i is %s', (minutes, zone) => {
    expect(zoneForOffset(minutes)).toBe(zone);
  });

  it.each([330, 345, 525, 570])('off the hour (%i min): a zone without DST at that offset', (minutes) => {
    const zone = zoneForOffset(minutes);
    for (const month of [0, 6]) {
      const at = new Date(Date.UTC(new Date().getUTCFullYear(), month, 15, 12));
      const wall = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
      const [h, m] = wall.split(':').map(Number) as [number, number];
      const expected = (((12 * 60 + minutes) % 1440) + 1440) % 1440;
      expect(h * 60 + m, `${zone} in month ${month + 1}`).toBe(expected);
    }
  });
});
