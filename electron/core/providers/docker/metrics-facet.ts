// Docker keeps no history: only the live view, from the stats the engine streams while the tab is open.

import type { MetricsFacet } from '../../../../shared/metrics';

export const DOCKER_METRICS_FACET: MetricsFacet = {
  kinds: ['container'],
  steps: { '10m': 1 },
  usage: {
    kinds: ['container'],
    note: { en: 'Docker reports usage per container, not for the engine.', 'zh-CN': 'Docker 只报告每个容器的用量，不报告引擎本身的。' },
  },
  note: {
    en: 'Docker keeps no history: the charts show the readings the engine has sent since this tab opened (the last 10 minutes at most).',
    'zh-CN': 'Docker 不保留历史数据：图表显示的是打开此页后引擎送来的读数（最多最近 10 分钟）。',
  },
};
