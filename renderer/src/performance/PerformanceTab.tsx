// The Performance tab of a VM, container or host (XenCenter's Performance tab, Proxmox's
// Summary graphs): CPU, memory, disk and network charts over the last 10 minutes (live)
// or the history the server keeps, with a series picker and values under the cursor.
// It says why there is nothing to draw: the guest is not running, the platform keeps
// no history, or it has no data for this item.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import { localized } from '../../../shared/descriptor';
import { facetTimeframes, type MetricsAnswer, type MetricsFacet, type MetricTimeframe } from '../../../shared/metrics';
import type { InventoryNode } from '../../../shared/model';
import { ErrorDetails } from '../components/ErrorDetails';
import { chartGroups } from './chart-groups';
import { MetricChart } from './MetricChart';
import { pollMetrics } from './metrics-poller';
import './performance.css';

export function PerformanceTab({ node, facet }: { node: InventoryNode; facet: MetricsFacet | undefined }) {
  const { t, i18n } = useTranslation();
  const timeframes = facetTimeframes(facet);
  const [timeframe, setTimeframe] = useState<MetricTimeframe>(timeframes[0] ?? '10m');
  const [answer, setAnswer] = useState<MetricsAnswer | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    setAnswer(null);
    setError(null);
    if (!facet) return;
    return pollMetrics(node.id, timeframe, {
      answer: (a) => {
        setAnswer(a);
        setError(null);
      },
      error: setError,
    });
    // a guest that starts or stops is asked again at once
  }, [node.id, node.state, timeframe, facet]);

  const groups = useMemo(() => chartGroups(answer?.series ?? []), [answer]);
  const toggle = (id: string) => setHidden((now) => (now.has(id) ? new Set([...now].filter((x) => x !== id)) : new Set([...now, id])));
  const empty = !facet ? 'no-metrics' : answer?.empty ?? (answer && answer.series.length === 0 ? 'no-metrics' : undefined);

  return (
    <div className="performance-tab" data-testid="performance-tab">
      <div className="performance-bar">
        <div className="segmented" role="radiogroup" aria-label={t('performance.timeframe')}>
          {timeframes.map((tf) => (
            <button key={tf} type="button" role="radio" aria-checked={tf === timeframe} className={tf === timeframe ? 'active' : ''} data-testid={`timeframe-${tf}`} onClick={() => setTimeframe(tf)}>
              {t(`performance.timeframes.${tf}`)}
            </button>
          ))}
        </div>
        {answer && answer.stepSeconds > 0 && (
          <span className="performance-step" data-testid="performance-step">
            {t('performance.step', { seconds: answer.stepSeconds })}
          </span>
        )}
        <span className="performance-hint">{t('performance.zoomHint')}</span>
      </div>
      {facet?.note && (
        <p className="performance-note" role="note" data-testid="performance-note">
          {localized(facet.note, i18n.language)}
        </p>
      )}
      {error && <ErrorDetails error={error} />}
      {empty && (
        <p className="performance-empty" role="status" data-testid="performance-empty" data-reason={empty}>
          {t(`performance.empty.${empty}`)}
        </p>
      )}
      {!answer && !error && facet && <p className="performance-loading">{t('performance.loading')}</p>}
      {answer &&
        groups.map((g) => (
          <MetricChart key={g.id} chartId={g.id} title={t(`performance.chart.${g.id}`)} times={answer.times} series={g.series} hidden={hidden} onToggle={toggle} />
        ))}
    </div>
  );
}
