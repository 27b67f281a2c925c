// Which charts the Performance tab draws: one per kind and unit (disk throughput and
// disk operations apart), in the order CPU, memory, disk, network.

import { METRIC_KINDS, type MetricSeries } from '../../../shared/metrics';

export interface ChartGroup {
  id: string;
  series: MetricSeries[];
}

export function chartGroups(series: MetricSeries[]): ChartGroup[] {
  const groups: ChartGroup[] = [];
  for (const kind of METRIC_KINDS) {
    const ofKind = series.filter((s) => s.kind === kind);
    for (const unit of [...new Set(ofKind.map((s) => s.unit))]) {
      groups.push({ id: unit === 'opsPerSecond' ? `${kind}Ops` : kind, series: ofKind.filter((s) => s.unit === unit) });
    }
  }
  return groups;
}
