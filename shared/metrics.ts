// Performance data (issue 15): one series model for every platform. A provider
// answers with a time axis and named series, each with its unit and kind; the
// Performance tab and `polyvisor metrics` draw and print them alike.

import type { LocalizedText } from './descriptor';
import type { NodeKind } from './model';
import type { UsageFacet } from './usage';

/** '10m' is live (updating); the rest is the history the server keeps. */
export const METRIC_TIMEFRAMES = ['10m', '1h', '1d', '1w', '1mo'] as const;
export type MetricTimeframe = (typeof METRIC_TIMEFRAMES)[number];

/** How long each timeframe looks back, in seconds. */
export const TIMEFRAME_SECONDS: Record<MetricTimeframe, number> = {
  '10m': 600,
  '1h': 3600,
  '1d': 86_400,
  '1w': 7 * 86_400,
  '1mo': 30 * 86_400,
};

export const METRIC_KINDS = ['cpu', 'memory', 'disk', 'network'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

export type MetricUnit = 'percent' | 'bytes' | 'bytesPerSecond' | 'opsPerSecond';

/**
 * What a series measures, named once for every platform (the UI words it; `instance`
 * says which vCPU, disk or interface): cpu = one vCPU or physical CPU, cpuTotal = all
 * of them; memoryUsed, memoryTarget (the balloon's target), memoryFree, memoryTotal;
 * diskRead/diskWrite (bytes/s), diskReadOps/diskWriteOps; netRx/netTx (bytes/s).
 */
export const METRIC_NAMES = [
  'cpu',
  'cpuTotal',
  'memoryUsed',
  'memoryTarget',
  'memoryFree',
  'memoryTotal',
  'diskRead',
  'diskWrite',
  'diskReadOps',
  'diskWriteOps',
  'netRx',
  'netTx',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricSeries {
  /** stable within the node: the platform's own name of the data source ('cpu0', 'vbd_xvda_read') */
  id: string;
  metric: MetricName;
  /** the vCPU number, disk or interface name, when there are several */
  instance?: string;
  kind: MetricKind;
  unit: MetricUnit;
  /** one value per time; null where the server has no value (NaN, a gap) */
  values: Array<number | null>;
}

/** Why a node shows no data: it is not running, the platform keeps no history, or it has no metrics for this node. */
export type MetricsEmpty = 'not-running' | 'no-history' | 'no-metrics';

export interface MetricsAnswer {
  nodeId: string;
  timeframe: MetricTimeframe;
  /** seconds between points as the server keeps them */
  stepSeconds: number;
  /** Unix time in seconds, ascending */
  times: number[];
  series: MetricSeries[];
  empty?: MetricsEmpty;
}

/** What a platform offers (descriptor facet `metrics`); absent = no performance data at all. */
export interface MetricsFacet {
  /** node kinds that have metrics */
  kinds: NodeKind[];
  /** timeframes the server keeps, each with its step in seconds */
  steps: Partial<Record<MetricTimeframe, number>>;
  /** what the Performance tab says about the platform's data (Docker: it keeps no history) */
  note?: LocalizedText;
  /** live usage columns (current CPU and memory); absent = none */
  usage?: UsageFacet;
}

/** The timeframes a facet offers, in the order of METRIC_TIMEFRAMES. */
export function facetTimeframes(facet: MetricsFacet | undefined): MetricTimeframe[] {
  return facet ? METRIC_TIMEFRAMES.filter((t) => facet.steps[t] !== undefined) : [];
}
