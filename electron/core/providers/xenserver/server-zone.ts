// The zone a pool's snapshot schedules run in. xapi reads a VMSS schedule in the
// pool master's local time (the data model: "Date/time-related information is in
// Local Timezone"; XenCenter shows host.get_server_localtime of the master beside
// the schedule). The API names no zone, only the master's clock in UTC and in
// local time, so the zone is the master's offset now as a fixed-offset IANA zone
// (Etc/GMT-8 for UTC+8; UTC for 0), read again from time to time so that a DST
// change on the master is followed. 'UTC' only where the master runs in UTC.

import { isoTime, str } from './records';
import type { XapiSession } from './session';

/** how often the master's offset is read again (a DST change shows within this) */
export const ZONE_REFRESH_MS = 60 * 60_000;

/** The master's UTC offset in minutes (to the quarter hour) from its two clocks. */
export function offsetMinutes(utc: unknown, local: unknown): number | undefined {
  const utcIso = isoTime(utc);
  const localText = str(local);
  // a local time that carries its offset says it outright
  const explicit = /([+-])(\d{2}):?(\d{2})$/.exec(localText);
  if (explicit && /T\d{2}:?\d{2}:?\d{2}/.test(localText)) {
    const sign = explicit[1] === '-' ? -1 : 1;
    return sign * (Number(explicit[2]) * 60 + Number(explicit[3]));
  }
  // otherwise the local wall-clock read as if it were UTC, against the real UTC
  const wall = isoTime(localText.replace(/Z$/, ''));
  if (!utcIso || !wall) return undefined;
  const minutes = (Date.parse(wall) - Date.parse(utcIso)) / 60_000;
  return Math.round(minutes / 15) * 15;
}

/** A fixed-offset IANA zone for an offset: Etc/GMT±H (sign inverted by POSIX) or, off the hour, a zone without DST at that offset. */
export function zoneForOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  if (minutes % 60 === 0 && Math.abs(minutes) <= 14 * 60) return `Etc/GMT${minutes > 0 ? '-' : '+'}${Math.abs(minutes) / 60}`;
  const year = new Date().getUTCFullYear();
  const january = new Date(Date.UTC(year, 0, 15));
  const july = new Date(Date.UTC(year, 6, 15));
  const zones = Intl.supportedValuesOf('timeZone');
  const fixed = zones.find((zone) => zoneOffset(zone, january) === minutes && zoneOffset(zone, july) === minutes);
  // an offset only a DST zone has (UTC-3:30 is Newfoundland's winter): that zone, right at least until its next change
  return fixed ?? zones.find((zone) => zoneOffset(zone, new Date()) === minutes) ?? 'UTC';
}

function zoneOffset(zone: string, at: Date): number | undefined {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  const m = name ? /GMT([+-])(\d{2}):(\d{2})/.exec(name) : null;
  if (name === 'GMT') return 0;
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : undefined;
}

/** Reads the master's clocks; undefined when the server cannot say (then the zone stays as it was). */
export async function readMasterZone(session: XapiSession, masterRef: string): Promise<string | undefined> {
  const [utc, local] = await Promise.all([session.call('host.get_servertime', masterRef), session.call('host.get_server_localtime', masterRef)]);
  const minutes = offsetMinutes(utc, local);
  return minutes === undefined ? undefined : zoneForOffset(minutes);
}
