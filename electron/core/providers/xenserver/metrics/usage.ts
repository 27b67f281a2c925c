// Live usage of XAPI VMs and hosts from rrdd's finest archive: the last 5-second row of
// GET /rrd_updates, asked once per round — per VM (vm_uuid) while few are on screen,
// pool-wide (host=true: the host and its resident VMs) when a host is among them or
// many VMs are — keeping only the CPU and memory columns of the nodes asked about.
// Objects on a member host are asked at that member (host=true: one answer per member
// per round) once the master has shown it does not hold them (xapi-metrics.ts).

import type { MetricSeries } from '../../../../../shared/metrics';
import { mapLimited } from '../../common/concurrency';
import type { ProviderUsage, ProviderUsageReading } from '../../provider';
import type { XapiRecord } from '../records';
import { seriesOf, withDerivedSeries } from './series-map';
import type { XapiMetrics } from './xapi-metrics';

/** above this many VMs one pool-wide answer is cheaper than one request each */
const PER_VM_MAX = 64;
const PER_VM_QUERIES = 4;
/** two 5-second rows: the newest may not be written yet */
const LOOK_BACK_S = 12;
const USAGE_SOURCES = /^(cpu\d+|cpu_avg|memory|memory_internal_free|memory_total_kib|memory_free_kib)$/;

export interface XapiUsageContext {
  metrics: XapiMetrics;
  record(kind: string, ref: string): XapiRecord | undefined;
  now?: () => number;
}

export class XapiUsage implements ProviderUsage {
  constructor(private readonly ctx: XapiUsageContext) {}

  async sample(targets: Array<{ nativeRef: string; kind: string }>): Promise<ProviderUsageReading[]> {
    const known = targets.flatMap((t) => {
      const uuid = this.ctx.record(t.kind, t.nativeRef)?.uuid;
      return typeof uuid === 'string' ? [{ ...t, uuid, type: t.kind === 'host' ? 'host' : 'vm' }] : [];
    });
    if (known.length === 0) return [];
    const start = String(Math.floor((this.ctx.now?.() ?? Date.now()) / 1000) - LOOK_BACK_S);
    const base = { start, cf: 'AVERAGE', interval: '5' };
    const wanted = new Set(known.map((t) => `${t.type}:${t.uuid}`));
    const { metrics } = this.ctx;
    const memberOf = new Map(known.map((t) => [t, metrics.memberOf(t)]));
    const atMaster = metrics.askMembersDirectly() ? known.filter((t) => memberOf.get(t) === undefined) : known;
    const byObject = new Map<string, MetricSeries[]>();
    const poolWide = atMaster.length > PER_VM_MAX || atMaster.some((t) => t.type === 'host');
    const answers = poolWide
      ? [await this.latest(new URLSearchParams({ ...base, host: 'true' }), wanted)]
      : await mapLimited(atMaster, PER_VM_QUERIES, (t) => this.latest(new URLSearchParams({ ...base, vm_uuid: t.uuid }), wanted));
    for (const answer of answers) for (const [key, series] of answer) byObject.set(key, series);
    const onMembers = known.filter((t) => memberOf.get(t) !== undefined);
    if (!metrics.askMembersDirectly() && onMembers.length > 0) metrics.learnFromMaster(onMembers.some((t) => byObject.has(`${t.type}:${t.uuid}`)));
    if (metrics.askMembersDirectly()) {
      const members = [...new Set(onMembers.map((t) => memberOf.get(t)!))];
      const memberAnswers = await mapLimited(members, PER_VM_QUERIES, (member) => this.latest(new URLSearchParams({ ...base, host: 'true' }), wanted, member));
      for (const answer of memberAnswers) for (const [key, series] of answer) byObject.set(key, series);
    }
    return known.map((t) => readingOf(t.nativeRef, byObject.get(`${t.type}:${t.uuid}`) ?? []));
  }

  /** The usage columns of the wanted objects, as series per `type:uuid`. */
  private async latest(query: URLSearchParams, wanted: Set<string>, member?: string): Promise<Map<string, MetricSeries[]>> {
    const keep = (entry: string) => {
      const [, type, uuid, name] = entry.split(':');
      return wanted.has(`${type}:${uuid}`) && USAGE_SOURCES.test(name ?? '');
    };
    const xport = await this.ctx.metrics.fetchXport(query, keep, member);
    const out = new Map<string, MetricSeries[]>();
    xport.legend.forEach((entry, i) => {
      const [, type, uuid, name] = entry.split(':');
      const series = seriesOf(name!, xport.values[i]!);
      if (series) out.set(`${type}:${uuid}`, [...(out.get(`${type}:${uuid}`) ?? []), series]);
    });
    for (const [key, series] of out) out.set(key, withDerivedSeries(series, xport.times.length));
    return out;
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
