// One chart of the Performance tab (CPU, memory, disk or network): uPlot on a canvas,
// times in the user's zone, drag across to zoom in and double-click to zoom out, and a
// legend that is also the series picker, showing each value under the cursor (or the
// newest one).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricSeries } from '../../../shared/metrics';
import { axisTimes, formatMetric, formatPointTime, seriesColor, seriesLabel } from './metric-format';

interface Props {
  /** 'cpu', 'memory', 'disk', 'diskOps', 'network': one unit per chart */
  chartId: string;
  title: string;
  times: number[];
  series: MetricSeries[];
  hidden: ReadonlySet<string>;
  onToggle(id: string): void;
}

const HEIGHT = 170;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

export function MetricChart({ chartId, title, times, series, hidden, onToggle }: Props) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const shown = useMemo(() => series.filter((s) => !hidden.has(s.id)), [series, hidden]);
  const shape = `${language}|${document.documentElement.dataset.theme ?? ''}|${shown.map((s) => s.id).join(',')}`;
  const unit = series[0]?.unit ?? 'percent';
  const data = useMemo(() => [times, ...shown.map((s) => s.values)] as uPlot.AlignedData, [times, shown]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const axis = { stroke: cssVar('--text-soft'), grid: { stroke: cssVar('--border-soft'), width: 1 }, ticks: { stroke: cssVar('--border-soft'), width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      scales: {
        // a minute at least: a few seconds of readings (Docker's first ones) would label every tick alike
        x: { time: true, range: (_u, min, max) => (max - min < 60 ? [max - 60, max] : [min, max]) },
        y: { range: (_u, min, max) => [Math.min(0, min), unit === 'percent' ? Math.max(100, max) : Math.max(max, unit === 'opsPerSecond' ? 1 : 1024) * 1.05] },
      },
      series: [{}, ...shown.map((s) => ({ label: seriesLabel(s, t), stroke: seriesColor(series.indexOf(s)), width: 1.5, spanGaps: false }))],
      axes: [{ ...axis, space: 110, values: (_u, splits) => axisTimes(splits, language) }, { ...axis, size: 80, values: (_u, splits) => splits.map((v) => formatMetric(v, unit, language, t)) }],
      hooks: { setCursor: [(u) => setCursor(u.cursor.idx ?? null)] },
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // the chart is rebuilt when its series, language or theme change; new points only update its data
  }, [shape]);

  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    // keep a zoomed-in view while new points arrive
    const zoomed = u.scales.x.min !== undefined && u.scales.x.min > (u.data[0][0] ?? 0);
    u.setData(data, !zoomed);
  }, [data]);

  const at = cursor ?? times.length - 1;
  return (
    <section className="metric-chart" data-testid={`metric-chart-${chartId}`} data-points={times.length}>
      <header>
        <h3>{title}</h3>
        <span className="metric-time" data-testid={`metric-time-${chartId}`} data-t={times[at] ?? ''}>
          {times[at] !== undefined ? formatPointTime(times[at]!, language) : ''}
        </span>
      </header>
      <div className="metric-canvas" ref={box} data-testid={`metric-canvas-${chartId}`} />
      <ul className="metric-legend" aria-label={t('performance.pickSeries')}>
        {series.map((s, i) => (
          <li key={s.id}>
            <label>
              <input type="checkbox" checked={!hidden.has(s.id)} onChange={() => onToggle(s.id)} data-testid={`metric-toggle-${s.id}`} />
              <span className="metric-swatch" style={{ background: seriesColor(i) }} />
              <span className="metric-name">{seriesLabel(s, t)}</span>
              <span className="metric-value" data-testid={`metric-value-${s.id}`} data-value={s.values[at] ?? ''}>
                {formatMetric(s.values[at], s.unit, language, t)}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
