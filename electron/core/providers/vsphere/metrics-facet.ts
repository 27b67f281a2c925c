// What vSphere keeps: realtime samples every 20 s for an hour (VMs and hosts), then the
// vCenter's historical intervals — 5 minutes for a day, 30 minutes for a week, 2 hours
// for a month (the defaults; the provider reads the server's own at query time).

import type { MetricsFacet } from '../../../../shared/metrics';

export const VSPHERE_METRICS_FACET: MetricsFacet = {
  kinds: ['vm', 'host'],
  steps: { '10m': 20, '1h': 20, '1d': 300, '1w': 1800, '1mo': 7200 },
  // summary.quickStats of the rows on screen, one property read (usage.ts)
  usage: { kinds: ['vm', 'host'] },
};
