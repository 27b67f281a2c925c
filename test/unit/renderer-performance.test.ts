// The Performance tab's pieces that need no browser: one chart per kind and unit (disk
// throughput and operations apart, in the order CPU, memory, disk, network), numbers in
// each language's form with the tab's own unit words, series named from metric and
// instance, and the timeframes a platform's facet offers.
import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { facetTimeframes, type MetricSeries } from '../../shared/metrics';
import en from '../../renderer/src/i18n/en.json';
import zhCN from '../../renderer/src/i18n/zh-CN.json';
import { chartGroups } from '../../renderer/src/performance/chart-groups';
import { axisTimes, formatMetric, seriesLabel } from '../../renderer/src/performance/metric-format';

const s = (id: string, partial: Partial<MetricSeries>): MetricSeries => ({ id, metric: 'cpu', kind: 'cpu', unit: 'percent', values: [], ...partial });

let tEn: TFunction;
let tZh: TFunction;
beforeAll(async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } }, lng: 'en', interpolation: { escapeValue: false } });
  tEn = i18n.getFixedT('en');
  tZh = i18n.getFixedT('zh-CN');
});

describe('Performance tab', () => {
  it('draws one chart per kind and unit, in a fixed order', () => {
    const groups = chartGroups([
      s('vif_0_rx', { metric: 'netRx', kind: 'network', unit: 'bytesPerSecond' }),
      s('vbd_xvda_iops_read', { metric: 'diskReadOps', kind: 'disk', unit: 'opsPerSecond' }),
      s('vbd_xvda_read', { metric: 'diskRead', kind: 'disk', unit: 'bytesPerSecond' }),
      s('memory', { metric: 'memoryTotal', kind: 'memory', unit: 'bytes' }),
      s('cpu0', {}),
      s('cpu1', {}),
    ]);
    expect(groups.map((g) => [g.id, g.series.map((x) => x.id)])).toEqual([
      ['cpu', ['cpu0', 'cpu1']],
      ['memory', ['memory']],
      ['disk', ['vbd_xvda_read']],
      ['diskOps', ['vbd_xvda_iops_read']],
      ['network', ['vif_0_rx']],
    ]);
  });

  it('writes numbers and units as each language does', () => {
    expect(formatMetric(12.345, 'percent', 'en', tEn)).toBe('12.3 %');
    expect(formatMetric(12.345, 'percent', 'zh-CN', tZh)).toBe('12.3%');
    expect(formatMetric(1536 * 1024, 'bytesPerSecond', 'en', tEn)).toBe('1.5 MiB/s');
    expect(formatMetric(1536 * 1024, 'bytesPerSecond', 'zh-CN', tZh)).toBe('1.5 MiB/秒');
    expect(formatMetric(12_345.6, 'opsPerSecond', 'en', tEn)).toBe('12,345.6 ops/s');
    expect(formatMetric(null, 'bytes', 'en', tEn)).toBe('—');
    expect(seriesLabel(s('cpu3', { instance: '3' }), tEn)).toBe('CPU 3');
    expect(seriesLabel(s('memory_used', { metric: 'memoryUsed', kind: 'memory', unit: 'bytes' }), tZh)).toBe('已用');
    expect(axisTimes([0, 3600], 'en')).toHaveLength(2);
  });

  it('offers the timeframes the platform keeps', () => {
    expect(facetTimeframes({ kinds: ['container'], steps: { '10m': 1 } })).toEqual(['10m']);
    expect(facetTimeframes({ kinds: ['vm'], steps: { '1mo': 7200, '10m': 20, '1d': 300 } })).toEqual(['10m', '1d', '1mo']);
    expect(facetTimeframes(undefined)).toEqual([]);
  });
});
