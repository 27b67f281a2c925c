// The Properties dialog's Memory section: the range slider (static max while the
// platform allows it, the dynamic range, the current allocation) with each bound also
// typed as a size, and reservation, limit and shares where the platform declares them.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatSize, parseSize } from '../../../shared/sizes';
import { localized } from '../../../shared/descriptor';
import { GuestField, SizeInput } from './GuestField';
import { ruleHint } from './guest-settings';
import { BOUND_ORDER, endingAtSize, scaleEnd, withoutDynamic, type MemoryRange, type RangeBound } from './memory-range';
import { MemoryRangeSlider } from './MemoryRangeSlider';
import type { SectionProps } from './properties-section-props';

const RULE_OF_BOUND = { staticMin: 'memory.staticMin', dynamicMin: 'memory.dynamic', dynamicMax: 'memory.dynamic', staticMax: 'memory.size' } as const;
const sizeText = (bytes: number) => formatSize(bytes).replace(' ', '');

export function MemorySection({ props, draft, change, problems, rules, state, label }: SectionProps) {
  const { t, i18n } = useTranslation();
  const range = draft.range;
  const [texts, setTexts] = useState<Record<RangeBound, string> | null>(range ? textsOf(range) : null);
  // the slider moved a bound: its text follows (a text being typed that already says the same size is left alone)
  useEffect(() => {
    if (!range) return;
    setTexts((now) => {
      if (!now) return textsOf(range);
      const next = { ...now };
      for (const bound of BOUND_ORDER) {
        const parsed = parseSize(now[bound], 'mib');
        if (!parsed.ok || parsed.bytes !== range[bound]) next[bound] = sizeText(range[bound]);
      }
      return next;
    });
  }, [range]);
  if (!range || !texts) return <p className="hint">{t('guests.props.noMemory')}</p>;
  const dynamicRule = rules.get('memory.dynamic');
  const dynamic = !!dynamicRule;
  // Proxmox: the balloon's range ends at the memory, so dynamic max follows the size and is not a field of its own
  const endsAtSize = dynamicRule?.endsAtSize === true;
  const ownBound = (b: RangeBound) => (b !== 'staticMin' || rules.has('memory.staticMin')) && !(endsAtSize && b === 'dynamicMax');
  const editable = new Set(BOUND_ORDER.filter((b) => rules.has(RULE_OF_BOUND[b]) && !state(RULE_OF_BOUND[b]).disabledReason && ownBound(b)));
  const ends = dynamicRule?.bounds;
  const labels: Record<RangeBound, string> = {
    staticMin: label('memory.staticMin', 'guests.field.staticMin'),
    dynamicMin: ends ? localized(ends.min, i18n.language) : t('guests.field.dynamicMin'),
    dynamicMax: ends ? localized(ends.max, i18n.language) : t('guests.field.dynamicMax'),
    staticMax: label('memory.size', 'guests.field.memory'),
  };
  const setRange = (next: MemoryRange) => change({ range: !dynamic ? withoutDynamic(next) : endsAtSize ? endingAtSize(next) : next });
  const typed = (bound: RangeBound, text: string) => {
    setTexts({ ...texts, [bound]: text });
    const parsed = parseSize(text, 'mib');
    // typed values are taken as they are: an out-of-order range is shown and blocks Save
    if (parsed.ok) setRange({ ...range, [bound]: parsed.bytes });
  };
  const shownBounds = BOUND_ORDER.filter((b) => (dynamic || b === 'staticMax') && ownBound(b));
  return (
    <div className="form-grid">
      <MemoryRangeSlider
        range={range}
        end={scaleEnd(range)}
        actual={props.memory?.actualBytes}
        editable={editable}
        dynamic={dynamic}
        endsAtSize={endsAtSize}
        labels={labels}
        onChange={setRange}
      />
      {problems.memory ? (
        <span className="field-error" role="alert" data-testid="problem-props-memory">
          {problems.memory}
        </span>
      ) : null}
      {dynamic ? (
        <p className="guest-range-title" data-testid="props-dynamic-title">
          {label('memory.dynamic', 'guests.field.dynamicRange')}
          {ruleHint(rules.get('memory.dynamic'), i18n.language) ? <span className="hint">{` — ${ruleHint(rules.get('memory.dynamic'), i18n.language)}`}</span> : null}
        </p>
      ) : null}
      <div className="field-row guest-bounds">
        {shownBounds.map((bound) => {
          const s = state(RULE_OF_BOUND[bound]);
          return (
            <GuestField key={bound} label={labels[bound]} testId={`props-${bound}`} nextBoot={s.nextBoot} disabledReason={editable.has(bound) ? null : s.disabledReason}>
              <SizeInput testId={`props-${bound}`} value={texts[bound]} disabled={!editable.has(bound)} onChange={(text) => typed(bound, text)} />
            </GuestField>
          );
        })}
      </div>
      {dynamic ? <p className="hint" data-testid="props-memory-order-hint">{endsAtSize ? t('guests.memory.endsAtSizeHint', { min: labels.dynamicMin, size: labels.staticMax }) : t('guests.memory.orderHint')}</p> : null}
      <div className="field-row">
        {rules.has('memory.reservation') ? (
          <GuestField label={label('memory.reservation', 'guests.field.reservation')} testId="props-reservation" problem={problems.reservation} {...state('memory.reservation')}>
            <SizeInput testId="props-reservation" value={draft.reservation} disabled={!!state('memory.reservation').disabledReason} onChange={(reservation) => change({ reservation })} />
          </GuestField>
        ) : null}
        {rules.has('memory.limit') ? (
          <GuestField label={label('memory.limit', 'guests.field.limit')} testId="props-limit" problem={problems.limit} hint={t('guests.field.limitHint')} {...state('memory.limit')}>
            <SizeInput testId="props-limit" value={draft.limit} disabled={!!state('memory.limit').disabledReason} onChange={(limit) => change({ limit })} />
          </GuestField>
        ) : null}
        {rules.has('memory.shares') ? (
          <GuestField label={label('memory.shares', 'guests.field.shares')} testId="props-shares" problem={problems.shares} narrow {...state('memory.shares')}>
            <input type="text" inputMode="numeric" data-testid="props-shares" value={draft.shares} disabled={!!state('memory.shares').disabledReason} onChange={(e) => change({ shares: e.target.value })} />
          </GuestField>
        ) : null}
      </div>
    </div>
  );
}

function textsOf(range: MemoryRange): Record<RangeBound, string> {
  return { staticMin: sizeText(range.staticMin), dynamicMin: sizeText(range.dynamicMin), dynamicMax: sizeText(range.dynamicMax), staticMax: sizeText(range.staticMax) };
}
