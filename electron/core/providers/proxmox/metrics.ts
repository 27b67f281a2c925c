// Performance data of Proxmox VE nodes, VMs and containers: GET …/rrddata with the
// RRD timeframe that covers ours (hour for the last 10 minutes and hour, then day,
// week, month), cf=AVERAGE, trimmed to our window. PVE's fields in the shared model:
// cpu (a fraction of maxcpu) as a percentage, mem/maxmem (nodes memused/memtotal),
// netin/netout and diskread/diskwrite in bytes per second; a row without a field is a gap.

import { PolyvisorError } from '../../../../shared/errors';
import type { MetricSeries, MetricsAnswer, MetricTimeframe } from '../../../../shared/metrics';
import { TIMEFRAME_SECONDS } from '../../../../shared/metrics';
import type { ProviderMetrics } from '../provider';
import type { PveClient } from './client';
import type { ClusterCache } from './cluster-cache';
import { PVE_TIMEFRAMES } from './metrics-facet';
import { parseGuestRef } from './model-map';

interface Field {
  field: string;
  series: Omit<MetricSeries, 'values'>;
  scale?: number;
}

const GUEST_FIELDS: Field[] = [
  { field: 'cpu', series: { id: 'cpu', metric: 'cpuTotal', kind: 'cpu', unit: 'percent' }, scale: 100 },
  { field: 'mem', series: { id: 'mem', metric: 'memoryUsed', kind: 'memory', unit: 'bytes' } },
  { field: 'maxmem', series: { id: 'maxmem', metric: 'memoryTotal', kind: 'memory', unit: 'bytes' } },
  { field: 'diskread', series: { id: 'diskread', metric: 'diskRead', kind: 'disk', unit: 'bytesPerSecond' } },
  { field: 'diskwrite', series: { id: 'diskwrite', metric: 'diskWrite', kind: 'disk', unit: 'bytesPerSecond' } },
  { field: 'netin', series: { id: 'netin', metric: 'netRx', kind: 'network', unit: 'bytesPerSecond' } },
  { field: 'netout', series: { id: 'netout', metric: 'netTx', kind: 'network', unit: 'bytesPerSecond' } },
];

const NODE_FIELDS: Field[] = [
  { field: 'cpu', series: { id: 'cpu', metric: 'cpuTotal', kind: 'cpu', unit: 'percent' }, scale: 100 },
  { field: 'memused', series: { id: 'memused', metric: 'memoryUsed', kind: 'memory', unit: 'bytes' } },
  { field: 'memtotal', series: { id: 'memtotal', metric: 'memoryTotal', kind: 'memory', unit: 'bytes' } },
  { field: 'netin', series: { id: 'netin', metric: 'netRx', kind: 'network', unit: 'bytesPerSecond' } },
  { field: 'netout', series: { id: 'netout', metric: 'netTx', kind: 'network', unit: 'bytesPerSecond' } },
];

export interface ProxmoxMetricsContext {
  client: PveClient;
  cache(): ClusterCache;
  now?: () => number;
}

export class ProxmoxMetrics implements ProviderMetrics {
  constructor(private readonly ctx: ProxmoxMetricsContext) {}

  async query(target: { nativeRef: string; kind: string }, timeframe: MetricTimeframe): Promise<Omit<MetricsAnswer, 'nodeId'>> {
    const pve = PVE_TIMEFRAMES[timeframe];
    const { path, fields } = this.pathOf(target);
    const rows = await this.ctx.client.get(path, readRrdRows, { timeframe: pve.timeframe, cf: 'AVERAGE' });
    const since = (this.ctx.now?.() ?? Date.now()) / 1000 - TIMEFRAME_SECONDS[timeframe];
    const kept = rows.filter((r) => r.time + pve.step > since);
    const series = fields.map((f) => ({
      ...f.series,
      values: kept.map((r) => (typeof r[f.field] === 'number' ? (r[f.field] as number) * (f.scale ?? 1) : null)),
    }));
    const hasData = series.some((s) => s.values.some((v) => v !== null));
    return { timeframe, stepSeconds: pve.step, times: kept.map((r) => r.time), series: hasData ? series : [], ...(hasData ? {} : { empty: 'not-running' as const }) };
  }

  private pathOf(target: { nativeRef: string; kind: string }): { path: string; fields: Field[] } {
    if (target.kind === 'host') return { path: `/nodes/${encodeURIComponent(target.nativeRef)}/rrddata`, fields: NODE_FIELDS };
    const ref = parseGuestRef(target.nativeRef);
    const guest = ref && !ref.snapname ? this.ctx.cache().guest(target.nativeRef) : undefined;
    if (!ref || !guest) throw new PolyvisorError({ code: 'NOT_FOUND', message: `${target.nativeRef} is no longer in the cluster.` });
    return { path: `/nodes/${encodeURIComponent(guest.node)}/${ref.type}/${ref.vmid}/rrddata`, fields: GUEST_FIELDS };
  }
}

type RrdRow = { time: number } & Record<string, unknown>;

/** rrddata's answer: a list of rows, each with its `time`; other fields are read where they are numbers. */
export function readRrdRows(data: unknown, where: string): RrdRow[] {
  if (!Array.isArray(data)) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${where} sent performance data that is not a list.` });
  const rows: RrdRow[] = [];
  for (const row of data) {
    if (!row || typeof row !== 'object' || typeof (row as RrdRow).time !== 'number' || !Number.isFinite((row as RrdRow).time)) {
      throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${where} sent a performance row without its time.` });
    }
    rows.push(row as RrdRow);
  }
  return rows.sort((a, b) => a.time - b.time);
}
