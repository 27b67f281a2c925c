// argv of `polyvisor metrics <node> …` → one typed command (pure, like args.ts).

import { METRIC_KINDS, METRIC_TIMEFRAMES, type MetricTimeframe } from '../../shared/metrics';
import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

export type MetricsCommand = {
  name: 'metrics';
  node: string;
  since: MetricTimeframe;
  /** kinds (cpu, memory, disk, network) or series ids (cpu0, vbd_xvda_read); empty = all */
  series: string[];
  format: 'table' | 'json' | 'csv';
} & ConnectOptions;

export const METRICS_USAGE = `Performance (VMs, containers and hosts; <node> = id, uuid or name):
  metrics <node> [--since ${METRIC_TIMEFRAMES.join('|')}] [--series ${METRIC_KINDS.join(',')}|<series id>,…] [--json|--csv]
                  the series the server keeps over that time (default 10m, live); a table of
                  each series' newest, lowest, mean and highest value, or every point as JSON or CSV`;

export function parseMetrics(args: string[]): MetricsCommand {
  const { values, positionals } = parse(
    args,
    { ...CONNECT_OPTIONS, since: { type: 'string' }, series: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' } },
    1,
    '<node>',
  );
  const since = values.since ?? '10m';
  if (!(METRIC_TIMEFRAMES as readonly string[]).includes(since)) throw usage(`metrics: --since must be one of ${METRIC_TIMEFRAMES.join(', ')}`);
  if (values.json && values.csv) throw usage('metrics: give --json or --csv, not both');
  const series = (values.series ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (values.series !== undefined && series.length === 0) throw usage('metrics: --series needs at least one name');
  return { name: 'metrics', node: positionals[0]!, since: since as MetricTimeframe, series, format: values.json ? 'json' : values.csv ? 'csv' : 'table', ...connectOptions(values) };
}
