// Reading the CPU and memory columns of many VMs and hosts at once, each where its
// data is: one rrd_updates answer at the master, and one at each member whose objects
// the master does not hold (xapi-metrics.ts learns which from the first answer about a
// member's object). Live usage and threshold rules both read this way.

import type { MetricSeries } from '../../../../../shared/metrics';
import { mapLimited } from '../../common/concurrency';
import { seriesOf, withDerivedSeries } from './series-map';
import type { XapiMetrics } from './xapi-metrics';

/** the columns live usage and threshold rules read */
const USAGE_SOURCES = /^(cpu\d+|cpu_avg|memory|memory_internal_free|memory_total_kib|memory_free_kib)$/;
/** members asked at once */
const MEMBER_QUERIES = 4;
const PER_VM_QUERIES = 4;

export interface ReadTarget {
  nativeRef: string;
  kind: string;
  uuid: string;
  /** xapi's object type in the legend */
  type: 'vm' | 'host';
}

export interface ObjectSeries {
  step: number;
  times: number[];
  series: MetricSeries[];
}

export const objectKey = (t: { type: string; uuid: string }) => `${t.type}:${t.uuid}`;

/** Each target's uuid from the inventory's records; targets the inventory no longer has are left out. */
export function readTargets(targets: Array<{ nativeRef: string; kind: string }>, record: (kind: string, ref: string) => { uuid?: unknown } | undefined): ReadTarget[] {
  return targets.flatMap((t) => {
    const uuid = record(t.kind, t.nativeRef)?.uuid;
    return typeof uuid === 'string' ? [{ ...t, uuid, type: t.kind === 'host' ? ('host' as const) : ('vm' as const) }] : [];
  });
}

/** The usage columns of the wanted objects in one rrd_updates answer (at `member`, else the master), per object key. */
export async function usageColumns(metrics: XapiMetrics, query: URLSearchParams, wanted: ReadonlySet<string>, member?: string): Promise<Map<string, ObjectSeries>> {
  const keep = (entry: string) => {
    const [, type, uuid, name] = entry.split(':');
    return wanted.has(`${type}:${uuid}`) && USAGE_SOURCES.test(name ?? '');
  };
  const xport = await metrics.fetchXport(query, keep, member);
  const named = new Map<string, MetricSeries[]>();
  xport.legend.forEach((entry, i) => {
    const [, type, uuid, name] = entry.split(':');
    const series = seriesOf(name!, xport.values[i]!);
    if (series) named.set(`${type}:${uuid}`, [...(named.get(`${type}:${uuid}`) ?? []), series]);
  });
  const out = new Map<string, ObjectSeries>();
  for (const [key, series] of named) out.set(key, { step: xport.step, times: xport.times, series: withDerivedSeries(series, xport.times.length) });
  return out;
}

/**
 * Reads the targets where their data is: `atMaster` for the ones the master holds (all of
 * them until the master has shown otherwise), then one host=true answer per member for
 * the members' ones.
 */
export async function readOnEachHost(
  metrics: XapiMetrics,
  targets: ReadTarget[],
  query: Record<string, string>,
  atMaster: (targets: ReadTarget[]) => Promise<Array<Map<string, ObjectSeries>>>,
): Promise<Map<string, ObjectSeries>> {
  const memberOf = new Map(targets.map((t) => [t, metrics.memberOf(t)]));
  const onMembers = targets.filter((t) => memberOf.get(t) !== undefined);
  const out = new Map<string, ObjectSeries>();
  const masterTargets = metrics.askMembersDirectly() ? targets.filter((t) => memberOf.get(t) === undefined) : targets;
  if (masterTargets.length > 0) for (const answer of await atMaster(masterTargets)) for (const [key, s] of answer) out.set(key, s);
  if (!metrics.askMembersDirectly() && onMembers.length > 0) metrics.learnFromMaster(onMembers.some((t) => out.has(objectKey(t))));
  if (metrics.askMembersDirectly() && onMembers.length > 0) {
    const wanted = new Set(onMembers.map(objectKey));
    const members = [...new Set(onMembers.map((t) => memberOf.get(t)!))];
    const answers = await mapLimited(members, MEMBER_QUERIES, (member) => usageColumns(metrics, new URLSearchParams({ ...query, host: 'true' }), wanted, member));
    for (const answer of answers) for (const [key, s] of answer) out.set(key, s);
  }
  return out;
}

/**
 * At the master: per VM (vm_uuid) while at most `perVmMax` are asked, else one pool-wide answer
 * (host=true, and whenever a host is asked).
 */
export function readAtMaster(metrics: XapiMetrics, targets: ReadTarget[], query: Record<string, string>, wanted: ReadonlySet<string>, perVmMax: number): Promise<Array<Map<string, ObjectSeries>>> {
  if (targets.length > perVmMax || targets.some((t) => t.type === 'host')) return Promise.all([usageColumns(metrics, new URLSearchParams({ ...query, host: 'true' }), wanted)]);
  return mapLimited(targets, PER_VM_QUERIES, (t) => usageColumns(metrics, new URLSearchParams({ ...query, vm_uuid: t.uuid }), wanted));
}
