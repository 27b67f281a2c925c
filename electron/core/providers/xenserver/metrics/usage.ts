// Live usage of XAPI VMs and hosts from rrdd's finest archive: the last 5-second row of
// GET /rrd_updates, asked once per round — per VM (vm_uuid) while few are on screen,
// pool-wide (host=true: the host and its resident VMs) when a host is among them or
// many VMs are — keeping only the CPU and memory columns of the nodes asked about.
// Objects on a member host are asked at that member (host=true: one answer per member
// per round) once the master has shown it does not hold them (host-reads.ts).

import type { MetricSeries } from '../../../../../shared/metrics';
import type { ProviderUsage, ProviderUsageReading } from '../../provider';
import type { XapiRecord } from '../records';
import { objectKey, readAtMaster, readOnEachHost, readTargets } from './host-reads';
import type { XapiMetrics } from './xapi-metrics';

/** above this many VMs one pool-wide answer is cheaper than one request each (a few rows on screen in a large pool) */
const PER_VM_MAX = 64;
/** two 5-second rows: the newest may not be written yet */
const LOOK_BACK_S = 12;

export interface XapiUsageContext {
  metrics: XapiMetrics;
  record(kind: string, ref: string): XapiRecord | undefined;
  now?: () => number;
}

export class XapiUsage implements ProviderUsage {
  constructor(private readonly ctx: XapiUsageContext) {}

  async sample(targets: Array<{ nativeRef: string; kind: string }>): Promise<ProviderUsageReading[]> {
    const known = readTargets(targets, this.ctx.record);
    if (known.length === 0) return [];
    const start = String(Math.floor((this.ctx.now?.() ?? Date.now()) / 1000) - LOOK_BACK_S);
    const base = { start, cf: 'AVERAGE', interval: '5' };
    const wanted = new Set(known.map(objectKey));
    const { metrics } = this.ctx;
    const byObject = await readOnEachHost(metrics, known, base, (atMaster) => readAtMaster(metrics, atMaster, base, wanted, PER_VM_MAX));
    return known.map((t) => readingOf(t.nativeRef, byObject.get(objectKey(t))?.series ?? []));
  }
}

function readingOf(nativeRef: string, series: MetricSeries[]): ProviderUsageReading {
  const last = (metric: MetricSeries['metric']) => {
    const values = series.find((s) => s.metric === metric && s.instance === undefined)?.values ?? [];
    for (let i = values.length - 1; i >= 0; i--) if (values[i] != null) return values[i]!;
    return undefined;
  };
  const cpuPercent = last('cpuTotal');
  return { nativeRef, cpu: cpuPercent === undefined ? undefined : cpuPercent / 100, memoryUsed: last('memoryUsed'), memoryTotal: last('memoryTotal') };
}
