// Performance data of vSphere VMs and hosts through the PerformanceManager: the
// realtime interval (QueryPerfProviderSummary's refresh rate, 20 s) for the last 10
// minutes and hour, the historical interval that keeps the window for longer ones
// (300 s a day, 1800 s a week, 7200 s a month); counters resolved by name and read
// with QueryPerf, aggregate instance (""), in the counters' own units converted.

import type { MetricSeries, MetricsAnswer, MetricTimeframe } from '../../../../shared/metrics';
import { TIMEFRAME_SECONDS } from '../../../../shared/metrics';
import type { ProviderMetrics } from '../provider';
import { readPerfCatalog, type PerfCatalog, type PerfCounter } from './perf-counters';
import type { VimClient } from './vim-client';
import { child, childText, children, el, moRef, readNumber, text, type ManagedObjectReference, type XmlNode } from './xml';

interface Wanted {
  counter: string;
  series: Omit<MetricSeries, 'values'>;
}

const WANTED: Wanted[] = [
  { counter: 'cpu.usage.average', series: { id: 'cpu.usage.average', metric: 'cpuTotal', kind: 'cpu', unit: 'percent' } },
  { counter: 'mem.consumed.average', series: { id: 'mem.consumed.average', metric: 'memoryUsed', kind: 'memory', unit: 'bytes' } },
  { counter: 'disk.read.average', series: { id: 'disk.read.average', metric: 'diskRead', kind: 'disk', unit: 'bytesPerSecond' } },
  { counter: 'disk.write.average', series: { id: 'disk.write.average', metric: 'diskWrite', kind: 'disk', unit: 'bytesPerSecond' } },
  { counter: 'net.received.average', series: { id: 'net.received.average', metric: 'netRx', kind: 'network', unit: 'bytesPerSecond' } },
  { counter: 'net.transmitted.average', series: { id: 'net.transmitted.average', metric: 'netTx', kind: 'network', unit: 'bytesPerSecond' } },
];

/** From the counter's unit to the series' unit. */
const UNIT_SCALE: Record<string, number> = { percent: 0.01, kiloBytes: 1024, kiloBytesPerSecond: 1024, number: 1 };

const REALTIME_S = 20;

export class VsphereMetrics implements ProviderMetrics {
  private catalog: { generation: number; value: Promise<PerfCatalog> } | undefined;

  constructor(private readonly client: () => VimClient) {}

  async query(target: { nativeRef: string; kind: string }, timeframe: MetricTimeframe): Promise<Omit<MetricsAnswer, 'nodeId'>> {
    const client = this.client();
    const catalog = await this.catalogOf(client);
    const entity: ManagedObjectReference = { type: target.kind === 'host' ? 'HostSystem' : 'VirtualMachine', value: target.nativeRef };
    const interval = await this.intervalFor(client, catalog, entity, timeframe);
    const wanted = WANTED.map((w) => ({ ...w, info: catalog.counters.get(w.counter) })).filter((w): w is Wanted & { info: PerfCounter } => !!w.info);
    const window = TIMEFRAME_SECONDS[timeframe];
    const start = new Date(Date.now() - window * 1000).toISOString();
    const spec = el('querySpec', [
      moRef('entity', entity),
      el('startTime', start),
      el('maxSample', Math.ceil(window / interval) + 1),
      ...wanted.map((w) => el('metricId', [el('counterId', w.info.key), el('instance', '')])),
      el('intervalId', interval),
    ]);
    // one querySpec: the answer's returnval is its one PerfEntityMetric
    const result = await client.call('QueryPerf', catalog.manager, [spec]);
    const metric = Array.isArray(result) ? (result[0] as XmlNode | undefined) : result;
    return { timeframe, stepSeconds: interval, ...readEntityMetric(metric, wanted) };
  }

  private catalogOf(client: VimClient): Promise<PerfCatalog> {
    // counters are read once per session (a new login may be another server's)
    if (this.catalog?.generation !== client.generation) {
      const value = readPerfCatalog(client);
      this.catalog = { generation: client.generation, value };
      // the caller gets the failure through `value`; the cache only forgets it so the next query reads again
      value.catch(() => (this.catalog = undefined));
    }
    return this.catalog!.value;
  }

  /** The realtime refresh rate for the last hour, else the shortest enabled historical interval that keeps the whole window. */
  private async intervalFor(client: VimClient, catalog: PerfCatalog, entity: ManagedObjectReference, timeframe: MetricTimeframe): Promise<number> {
    if (timeframe === '10m' || timeframe === '1h') {
      const summary = await client.call('QueryPerfProviderSummary', catalog.manager, [moRef('entity', entity)]);
      return childText(summary, 'currentSupported') === 'true' ? (readNumber(child(summary, 'refreshRate')) ?? REALTIME_S) : REALTIME_S;
    }
    const window = TIMEFRAME_SECONDS[timeframe];
    const kept = catalog.intervals.filter((i) => i.enabled && i.length >= window).sort((a, b) => a.samplingPeriod - b.samplingPeriod);
    return kept[0]?.samplingPeriod ?? { '1d': 300, '1w': 1800, '1mo': 7200 }[timeframe];
  }
}

/** PerfEntityMetric → the series model, in time order (vcsim 0.24 sends the newest sample first). */
function readEntityMetric(metric: XmlNode | undefined, wanted: Array<Wanted & { info: PerfCounter }>): { times: number[]; series: MetricSeries[] } {
  const stamps = children(metric, 'sampleInfo').map((s) => Date.parse(childText(s, 'timestamp') ?? '') / 1000);
  const order = stamps.map((_t, i) => i).filter((i) => Number.isFinite(stamps[i])).sort((a, b) => stamps[a]! - stamps[b]!);
  const series: MetricSeries[] = [];
  for (const s of children(metric, 'value')) {
    const counterId = readNumber(child(child(s, 'id'), 'counterId'));
    const w = wanted.find((x) => x.info.key === counterId);
    if (!w) continue;
    const raw = children(s, 'value').map((v) => Number(text(v)));
    const scale = UNIT_SCALE[w.info.unit] ?? 1;
    // -1 is vSphere's "no value for this sample"
    series.push({ ...w.series, values: order.map((i) => (raw[i] === undefined || !Number.isFinite(raw[i]) || raw[i]! < 0 ? null : raw[i]! * scale)) });
  }
  return { times: order.map((i) => stamps[i]!), series: WANTED.map((w) => series.find((s) => s.id === w.series.id)).filter((s): s is MetricSeries => !!s) };
}
