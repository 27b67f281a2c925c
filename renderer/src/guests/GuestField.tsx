// One labelled field of the guest dialogs: its input, the problem that names it, and
// the platform's rule for a running guest (disabled with the reason, or "applies at next boot").
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { RestartPolicy } from '../../../shared/guests';

const RESTART_POLICIES: readonly RestartPolicy[] = ['no', 'always', 'unless-stopped', 'on-failure'];

export function GuestField(props: {
  label: string;
  testId: string;
  problem?: string;
  hint?: string;
  nextBoot?: boolean;
  disabledReason?: string | null;
  children: ReactNode;
  narrow?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <label className={`field guest-field${props.problem ? ' invalid' : ''}${props.narrow ? ' narrow' : ''}`} data-testid={`field-${props.testId}`} title={props.disabledReason ?? undefined}>
      <span>
        {props.label}
        {props.nextBoot ? (
          <em className="guest-next-boot" data-testid={`next-boot-${props.testId}`}>
            {` ${t('guests.field.nextBoot')}`}
          </em>
        ) : null}
      </span>
      {props.children}
      {props.disabledReason ? (
        <span className="hint" data-testid={`disabled-${props.testId}`}>
          {props.disabledReason}
        </span>
      ) : null}
      {props.hint && !props.problem ? <span className="hint">{props.hint}</span> : null}
      {props.problem ? (
        <span className="field-error" role="alert" data-testid={`problem-${props.testId}`}>
          {props.problem}
        </span>
      ) : null}
    </label>
  );
}

/** A size typed with its unit ("4 GiB", "512M"); a bare number is MiB. */
export function SizeInput(props: { value: string; onChange: (text: string) => void; testId: string; disabled?: boolean; placeholder?: string }) {
  return (
    <input
      type="text"
      inputMode="decimal"
      data-testid={props.testId}
      value={props.value}
      disabled={props.disabled}
      placeholder={props.placeholder}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

/** A container's restart policy, in words. */
export function RestartPolicySelect(props: { value: RestartPolicy | ''; onChange: (policy: RestartPolicy) => void; testId: string; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <select data-testid={props.testId} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value as RestartPolicy)}>
      {RESTART_POLICIES.map((p) => (
        <option key={p} value={p}>
          {t(`guests.restart.${p}`)}
        </option>
      ))}
    </select>
  );
}
