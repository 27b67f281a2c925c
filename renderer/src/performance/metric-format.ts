// Numbers of the Performance tab as the user's language writes them: percentages,
// binary byte sizes, rates per second; a series' name from its metric and instance.

import type { TFunction } from 'i18next';
import type { MetricSeries, MetricUnit } from '../../../shared/metrics';
import { formatBytes } from '../components/format';

export function formatMetric(value: number | null | undefined, unit: MetricUnit, language: string, t: TFunction): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent':
      return t('performance.unit.percent', { value: new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value) });
    case 'bytes':
      return formatBytes(value, language);
    case 'bytesPerSecond':
      return t('performance.unit.perSecond', { value: formatBytes(value, language) });
    case 'opsPerSecond':
      return t('performance.unit.opsPerSecond', { value: new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value) });
  }
}

export function seriesLabel(series: MetricSeries, t: TFunction): string {
  const name = t(`performance.metric.${series.metric}`);
  return series.instance === undefined ? name : `${name} ${series.instance}`;
}

/** A point's time, in the user's zone and language, to the second. */
export function formatPointTime(unixSeconds: number, language: string): string {
  return new Date(unixSeconds * 1000).toLocaleString(language, { dateStyle: 'short', timeStyle: 'medium' });
}

/** The time axis' labels in the user's language: clock times within a day, dates (with the hour) beyond. */
export function axisTimes(splits: number[], language: string): string[] {
  const span = (splits.at(-1) ?? 0) - (splits[0] ?? 0);
  const options: Intl.DateTimeFormatOptions =
    span > 3 * 86_400 ? { month: 'short', day: 'numeric' } : span > 86_400 / 2 ? { weekday: 'short', hour: '2-digit', minute: '2-digit' } : { hour: '2-digit', minute: '2-digit', ...(span < 600 ? { second: '2-digit' } : {}) };
  const format = new Intl.DateTimeFormat(language, options);
  return splits.map((v) => format.format(new Date(v * 1000)));
}

const PALETTE = ['#3b8eea', '#e8743b', '#2e9d3a', '#c9302c', '#9467bd', '#8c564b', '#d6a400', '#17becf', '#e377c2', '#7f7f7f'];

export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}
