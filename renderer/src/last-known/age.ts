// How long ago a server's tree was last known, in the user's language ("3 hr. ago",
// "3小时前"): the largest whole unit, by the platform's relative-time formatter.
import type { TFunction } from 'i18next';
import type { ServerView } from '../../../shared/contract';
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function lastKnownAge(at: number, now: number, language: string): string {
  const format = new Intl.RelativeTimeFormat(language, { style: 'short', numeric: 'auto' });
  const elapsed = Math.max(0, now - at);
  for (const [unit, ms] of UNITS) {
    if (elapsed >= ms) return format.format(-Math.floor(elapsed / ms), unit);
  }
  return format.format(0, 'minute');
}

/** The tooltip of a server row showing a last known tree: since when, and why it is not live. */
export function lastKnownTitle(t: TFunction, server: ServerView, language: string): string {
  const since = t('tree.lastKnownTitle', { time: new Date(server.lastKnownAt ?? 0).toLocaleString(language) });
  return server.error ? `${since}\n${t(`errorCode.${server.error.code}`)}: ${server.error.message}` : since;
}
