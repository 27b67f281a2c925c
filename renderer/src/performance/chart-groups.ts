// Which charts the Performance tab draws: one per kind and unit (disk throughput and
// disk operations apart), in the order CPU, memory, disk, network.

import { METRIC_KINDS, type MetricSeries, type MetricUnit } from '../../../shared/metrics';

const UNIT_ORDER: MetricUnit[] = ['percent', 'bytes', 'bytesPerSecond', 'opsPerSecond'];

export interface ChartGroup {
  id: string;
  series: MetricSeries[];
}

export function chartGroups(series: MetricSeries[]): ChartGroup[] {
  const groups: ChartGroup[] = [];
  for (const kind of METRIC_KINDS) {
    const ofKind = series.filter((s) => s.kind === kind);
    for (const unit of UNIT_ORDER.filter((u) => ofKind.some((s) => s.unit === u))) {
      groups.push({ id: unit === 'opsPerSecond' ? `${kind}Ops` : kind, series: ofKind.filter((s) => s.unit === unit) });
    }
  }
  return groups;
}
