// What Proxmox VE keeps (pvestatd's RRDs, 70 rows each): 1-minute steps for an hour,
// 30 minutes for a day, 3 hours for a week, 12 hours for a month.

import type { MetricsFacet, MetricTimeframe } from '../../../../shared/metrics';

/** PVE's RRD timeframe for ours, and its resolution in seconds. */
export const PVE_TIMEFRAMES: Record<MetricTimeframe, { timeframe: string; step: number }> = {
  '10m': { timeframe: 'hour', step: 60 },
  '1h': { timeframe: 'hour', step: 60 },
  '1d': { timeframe: 'day', step: 1800 },
  '1w': { timeframe: 'week', step: 10_800 },
  '1mo': { timeframe: 'month', step: 43_200 },
};

export const PROXMOX_METRICS_FACET: MetricsFacet = {
  kinds: ['vm', 'container', 'host'],
  steps: Object.fromEntries(Object.entries(PVE_TIMEFRAMES).map(([k, v]) => [k, v.step])),
  // from the /cluster/resources answer the inventory polls anyway: no request of its own
  usage: { kinds: ['vm', 'container', 'host'] },
};

