// xapi's data source names (rrdd) in the shared series model: a VM's cpu<N> (a
// fraction of one vCPU), memory (the allocation, bytes), memory_target (bytes),
// memory_internal_free (KiB, from the guest agent), vbd_<dev>_read/write (bytes/s),
// vbd_<dev>_iops_read/write, vif_<dev>_rx/tx (bytes/s); a host's cpu<N>, cpu_avg,
// memory_total_kib, memory_free_kib, pif_<dev>_rx/tx. Used memory and a VM's average
// CPU are derived as XenCenter derives them.

import type { MetricKind, MetricName, MetricSeries, MetricUnit } from '../../../../../shared/metrics';

interface Rule {
  pattern: RegExp;
  metric: MetricName;
  kind: MetricKind;
  unit: MetricUnit;
  /** from xapi's unit to the series' unit */
  scale: number;
}

const KIB = 1024;

// the iops sources first: vbd_xvda_iops_read would otherwise read as disk xvda_iops
const RULES: Rule[] = [
  { pattern: /^cpu(\d+)$/, metric: 'cpu', kind: 'cpu', unit: 'percent', scale: 100 },
  { pattern: /^cpu_avg$/, metric: 'cpuTotal', kind: 'cpu', unit: 'percent', scale: 100 },
  { pattern: /^memory$/, metric: 'memoryTotal', kind: 'memory', unit: 'bytes', scale: 1 },
  { pattern: /^memory_target$/, metric: 'memoryTarget', kind: 'memory', unit: 'bytes', scale: 1 },
  { pattern: /^memory_internal_free$/, metric: 'memoryFree', kind: 'memory', unit: 'bytes', scale: KIB },
  { pattern: /^memory_total_kib$/, metric: 'memoryTotal', kind: 'memory', unit: 'bytes', scale: KIB },
  { pattern: /^memory_free_kib$/, metric: 'memoryFree', kind: 'memory', unit: 'bytes', scale: KIB },
  { pattern: /^vbd_(\w+?)_iops_read$/, metric: 'diskReadOps', kind: 'disk', unit: 'opsPerSecond', scale: 1 },
  { pattern: /^vbd_(\w+?)_iops_write$/, metric: 'diskWriteOps', kind: 'disk', unit: 'opsPerSecond', scale: 1 },
  { pattern: /^vbd_(\w+?)_read$/, metric: 'diskRead', kind: 'disk', unit: 'bytesPerSecond', scale: 1 },
  { pattern: /^vbd_(\w+?)_write$/, metric: 'diskWrite', kind: 'disk', unit: 'bytesPerSecond', scale: 1 },
  { pattern: /^(?:vif|pif)_(\w+?)_rx$/, metric: 'netRx', kind: 'network', unit: 'bytesPerSecond', scale: 1 },
  { pattern: /^(?:vif|pif)_(\w+?)_tx$/, metric: 'netTx', kind: 'network', unit: 'bytesPerSecond', scale: 1 },
];

/** One data source as a series, or undefined for a source the Performance tab does not show (loadavg, latencies…). */
export function seriesOf(name: string, values: number[]): MetricSeries | undefined {
  for (const rule of RULES) {
    const m = rule.pattern.exec(name);
    if (!m) continue;
    return {
      id: name,
      metric: rule.metric,
      ...(m[1] !== undefined ? { instance: m[1] } : {}),
      kind: rule.kind,
      unit: rule.unit,
      values: values.map((v) => (Number.isFinite(v) ? v * rule.scale : null)),
    };
  }
  return undefined;
}

/** Adds what xapi does not send itself: used memory (total − free) and a VM's average CPU. */
export function withDerivedSeries(series: MetricSeries[], length: number): MetricSeries[] {
  const out = [...series];
  const total = series.find((s) => s.metric === 'memoryTotal');
  const free = series.find((s) => s.metric === 'memoryFree');
  if (total && free) {
    out.push({ id: 'memory_used', metric: 'memoryUsed', kind: 'memory', unit: 'bytes', values: pointwise(length, (i) => difference(total.values[i], free.values[i])) });
  }
  const cpus = series.filter((s) => s.metric === 'cpu');
  if (cpus.length > 0 && !series.some((s) => s.metric === 'cpuTotal')) {
    out.push({ id: 'cpu_avg', metric: 'cpuTotal', kind: 'cpu', unit: 'percent', values: pointwise(length, (i) => mean(cpus.map((c) => c.values[i]))) });
  }
  return out;
}

function pointwise(length: number, f: (i: number) => number | null): Array<number | null> {
  return Array.from({ length }, (_v, i) => f(i));
}

function difference(a: number | null | undefined, b: number | null | undefined): number | null {
  return a == null || b == null ? null : Math.max(0, a - b);
}

function mean(values: Array<number | null | undefined>): number | null {
  const known = values.filter((v): v is number => v != null);
  return known.length === 0 ? null : known.reduce((s, v) => s + v, 0) / known.length;
}
