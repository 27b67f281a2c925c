// A policy's frequency in words, in the user's language, with the zone its times are in:
// "Every day at 02:30 (Asia/Shanghai)", "每周星期一和星期五 02:30（UTC）".
import type { TFunction } from 'i18next';
import { WEEKDAYS, type PolicyFrequency, type Weekday } from '../../../shared/schedules';

const pad = (n: number) => String(n).padStart(2, '0');

export function clockTime(hour: number, minute: number): string {
  return `${pad(hour)}:${pad(minute)}`;
}

/** 2024-01-01 was a Monday: the day's name as the language writes it. */
export function weekdayName(day: Weekday, language: string, width: 'long' | 'short' = 'long'): string {
  const date = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)));
  return new Intl.DateTimeFormat(language, { weekday: width, timeZone: 'UTC' }).format(date);
}

export function describeFrequency(frequency: PolicyFrequency, t: TFunction, language: string): string {
  switch (frequency.every) {
    case 'hourly':
      return t('schedules.freq.hourly', { minute: frequency.minute });
    case 'daily':
      return t('schedules.freq.daily', { time: clockTime(frequency.hour, frequency.minute) });
    case 'weekly': {
      const days = WEEKDAYS.filter((d) => frequency.days.includes(d)).map((d) => weekdayName(d, language));
      const list = new Intl.ListFormat(language, { style: 'long', type: 'conjunction' }).format(days);
      return t('schedules.freq.weekly', { days: list, time: clockTime(frequency.hour, frequency.minute) });
    }
  }
}

/** The frequency with its zone (hourly runs too: a zone with a half-hour offset moves them); without one while it is not known. */
export function describeSchedule(frequency: PolicyFrequency, timeZone: string | null, t: TFunction, language: string): string {
  const when = describeFrequency(frequency, t, language);
  return timeZone ? t('schedules.freq.inZone', { when, zone: timeZone }) : when;
}

/** The computer's IANA zone (the zone Polyvisor's own policies run in by default). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
