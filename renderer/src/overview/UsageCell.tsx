// A live usage cell: a bar with its number, or "—" saying why there is none (the guest
// is not running, the platform has no source for this kind — its descriptor says —,
// the server is not connected, reading failed).
import { useTranslation } from 'react-i18next';
import type { UsageMissing } from '../../../shared/usage';

export function UsageCell(props: { share: number | undefined; text: string; missing: UsageMissing | undefined; note?: string; testId?: string }) {
  const { t } = useTranslation();
  if (props.share === undefined) {
    if (!props.missing) return <span className="usage-cell usage-pending" data-testid={props.testId} />;
    const why = [t(`overview.missing.${props.missing}`), props.note].filter(Boolean).join(' ');
    return (
      <span className="usage-cell usage-missing" title={why} data-testid={props.testId} data-missing={props.missing}>
        —
      </span>
    );
  }
  const clamped = Math.min(1, Math.max(0, props.share));
  const level = clamped >= 0.9 ? ' high' : clamped >= 0.7 ? ' warm' : '';
  return (
    <span className="usage-cell" data-testid={props.testId} data-share={props.share.toFixed(4)}>
      <span className={`usage-bar${level}`} aria-hidden="true">
        <span className="usage-fill" style={{ width: `${(clamped * 100).toFixed(1)}%` }} />
      </span>
      <span className="usage-text">{props.text}</span>
    </span>
  );
}
