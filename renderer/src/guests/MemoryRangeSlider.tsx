// The memory range as XenCenter's Ballooning page draws it: one track from 0 to a
// little past static max, the static range and the dynamic (ballooning) range on it,
// the current allocation marked, and a thumb for each bound the user may move now.
// A thumb stops at its neighbours, so static min ≤ dynamic min ≤ dynamic max ≤ static max holds.
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../components/format';
import { BOUND_ORDER, fraction, moveBound, sliderStep, type MemoryRange, type RangeBound } from './memory-range';

export function MemoryRangeSlider(props: {
  range: MemoryRange;
  end: number;
  actual?: number;
  /** the bounds the user may move now (the others are drawn only) */
  editable: ReadonlySet<RangeBound>;
  /** the platform has a dynamic range (else dynamic min = max = static max, not drawn apart) */
  dynamic: boolean;
  /** the dynamic range ends at static max (Proxmox's balloon): no thumb of its own for dynamic max */
  endsAtSize?: boolean;
  onChange(range: MemoryRange): void;
  labels: Record<RangeBound, string>;
}) {
  const { t, i18n } = useTranslation();
  const { range, end } = props;
  const pct = (bytes: number) => `${fraction(bytes, end) * 100}%`;
  const step = sliderStep(end);
  const bounds = BOUND_ORDER.filter((b) => (props.dynamic || b === 'staticMax' || b === 'staticMin') && !(props.endsAtSize && b === 'dynamicMax'));
  return (
    <div className="mem-slider" data-testid="memory-slider">
      <div className="mem-track" aria-hidden="true">
        <span className="mem-static" style={{ left: pct(range.staticMin), width: `calc(${pct(range.staticMax)} - ${pct(range.staticMin)})` }} />
        {props.dynamic ? <span className="mem-dynamic" style={{ left: pct(range.dynamicMin), width: `calc(${pct(range.dynamicMax)} - ${pct(range.dynamicMin)})` }} /> : null}
        {props.actual !== undefined ? <span className="mem-actual" data-testid="memory-actual" style={{ left: pct(props.actual) }} /> : null}
      </div>
      {bounds.map((bound) => (
        <input
          key={bound}
          type="range"
          className={`mem-thumb mem-thumb-${bound}`}
          data-testid={`mem-thumb-${bound}`}
          aria-label={props.labels[bound]}
          aria-valuetext={formatBytes(range[bound], i18n.language)}
          min={0}
          max={end}
          step={step}
          value={range[bound]}
          disabled={!props.editable.has(bound)}
          onChange={(e) => props.onChange(props.dynamic ? moveBound(range, bound, Number(e.target.value), props.endsAtSize) : { ...range, [bound]: Number(e.target.value) })}
        />
      ))}
      <div className="mem-scale hint" aria-hidden="true">
        <span>0</span>
        <span>{formatBytes(end, i18n.language)}</span>
      </div>
      {props.actual !== undefined ? (
        <p className="hint" data-testid="memory-actual-text">
          {t('guests.memory.actual', { size: formatBytes(props.actual, i18n.language) })}
        </p>
      ) : null}
    </div>
  );
}
