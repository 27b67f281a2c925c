// `polyvisor metrics`: a VM's, container's or host's series over a timeframe, as the
// Performance tab shows them — a summary table, or every point as JSON or CSV.

import { PolyvisorError } from '../../shared/errors';
import type { MetricSeries, MetricsAnswer, MetricUnit } from '../../shared/metrics';
import type { InventoryNode } from '../../shared/model';
import { formatSize } from '../../shared/sizes';
import type { PolyvisorCore } from '../core/app-core';
import { inventoryFor } from './connect';
import type { MetricsCommand } from './metrics-args';
import { findNode } from './resolve';
import type { CliOutput } from './schedule-commands';
import type { CliSession } from './session';

const EMPTY_REASONS: Record<NonNullable<MetricsAnswer['empty']>, string> = {
  'not-running': 'it is not running: there is no live data until it starts',
  'no-history': 'the platform keeps no history for this timeframe',
  'no-metrics': 'the platform has no performance data for it',
};

export async function executeMetrics(command: MetricsCommand, core: PolyvisorCore, session: CliSession, io: CliOutput): Promise<void> {
  const nodes = await inventoryFor(command, session);
  const node = findNode(nodes, command.node, ['vm', 'container', 'host'], 'VM, container or host');
  const answer = await core.invoke('metrics:query', node.id, command.since);
  const series = pick(answer.series, command.series);
  if (command.format === 'json') {
    io.out(JSON.stringify({ node: { id: node.id, name: node.name, kind: node.kind }, ...answer, series }, null, 2));
    return;
  }
  if (answer.empty) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No performance data for ${node.name}: ${EMPTY_REASONS[answer.empty]}` });
  io.out(command.format === 'csv' ? toCsv(answer.times, series) : toTable(node, answer, series));
}

/** Kinds (cpu, memory, …), metric names (netRx) or series ids (cpu0). */
function pick(series: MetricSeries[], wanted: string[]): MetricSeries[] {
  if (wanted.length === 0) return series;
  const picked = series.filter((s) => wanted.some((w) => w === s.kind || w === s.metric || w === s.id));
  if (picked.length === 0) {
    throw new PolyvisorError({ code: 'NOT_FOUND', message: `No series named ${wanted.join(', ')}; it has ${[...new Set(series.flatMap((s) => [s.kind, s.id]))].join(', ')}` });
  }
  return picked;
}

export function toCsv(times: number[], series: MetricSeries[]): string {
  const lines = [['time', ...series.map((s) => s.id)].join(',')];
  times.forEach((t, i) => lines.push([new Date(t * 1000).toISOString(), ...series.map((s) => (s.values[i] ?? '').toString())].join(',')));
  return lines.join('\n');
}

function toTable(node: InventoryNode, answer: MetricsAnswer, series: MetricSeries[]): string {
  const first = answer.times[0];
  const last = answer.times.at(-1);
  const span = first === undefined || last === undefined ? '' : `, ${new Date(first * 1000).toLocaleString()} – ${new Date(last * 1000).toLocaleString()}`;
  const head = `${node.name} (${node.kind}): ${answer.times.length} points every ${answer.stepSeconds} s${span}`;
  const rows = series.map((s) => {
    const known = s.values.filter((v): v is number => v !== null);
    const stat = (v: number | undefined) => (v === undefined ? '—' : formatValue(v, s.unit));
    const mean = known.length ? known.reduce((a, b) => a + b, 0) / known.length : undefined;
    return [s.id, s.kind, stat(s.values.at(-1) ?? undefined), stat(known.length ? Math.min(...known) : undefined), stat(mean), stat(known.length ? Math.max(...known) : undefined)];
  });
  const table = [['SERIES', 'KIND', 'NEWEST', 'LOWEST', 'MEAN', 'HIGHEST'], ...rows];
  const widths = table[0]!.map((_c, i) => Math.max(...table.map((r) => r[i]!.length)));
  return [head, ...table.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd())].join('\n');
}

function formatValue(v: number, unit: MetricUnit): string {
  switch (unit) {
    case 'percent':
      return `${v.toFixed(1)} %`;
    case 'bytes':
      return formatSize(v);
    case 'bytesPerSecond':
      return `${formatSize(v)}/s`;
    case 'opsPerSecond':
      return `${v.toFixed(1)}/s`;
  }
}
