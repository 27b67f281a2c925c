// What XAPI keeps (rrdd's archives): 5-second points for 10 minutes, minutes for 2 hours,
// hours for a week, days for a year. A day is read from the hourly archive.

import type { MetricsFacet, MetricTimeframe } from '../../../../../shared/metrics';

/** The interval asked for per timeframe (rrd_updates' `interval`, in seconds). */
export const XAPI_INTERVALS: Record<MetricTimeframe, number> = { '10m': 5, '1h': 60, '1d': 3600, '1w': 3600, '1mo': 86_400 };

export const XAPI_METRICS_FACET: MetricsFacet = {
  kinds: ['vm', 'host'],
  steps: XAPI_INTERVALS,
  usage: { kinds: ['vm', 'host'] },
};
