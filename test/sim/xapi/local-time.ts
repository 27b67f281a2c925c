// Wall-clock time in the pool master's zone: what host.get_server_localtime
// answers and what the VMSS plugin names its snapshots by.

export interface WallClock {
  yyyy: string;
  MM: string;
  dd: string;
  HH: string;
  mm: string;
  ss: string;
}

export function wallClock(ms: number, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return { yyyy: get('year'), MM: get('month'), dd: get('day'), HH: get('hour'), mm: get('minute'), ss: get('second') };
}

/** XAPI's datetime form without a zone: `20240131T12:34:56` (xapi's localtime). */
export function xapiLocalDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.yyyy}${w.MM}${w.dd}T${w.HH}:${w.mm}:${w.ss}`;
}
