// The parts every wizard shares (the policy wizard, New VM, the Properties dialog's
// section list): the list of pages on the left, and Cancel · Back · Next/Finish.
import { useTranslation } from 'react-i18next';
import { storeActions } from '../store/store';

export function WizardSteps<S extends string>(props: {
  steps: readonly S[];
  current: S;
  label: string;
  name: (step: S) => string;
  onGo: (step: S) => void;
  invalid?: (step: S) => boolean;
  /** test ids are `${testIdPrefix}${step}` */
  testIdPrefix?: string;
  /** pages of a wizard are steps; sections of a dialog are pages */
  kind?: 'step' | 'page';
}) {
  return (
    <ol className="wizard-steps" aria-label={props.label}>
      {props.steps.map((s) => (
        <li key={s}>
          <button
            type="button"
            data-testid={`${props.testIdPrefix ?? 'wizard-step-'}${s}`}
            aria-current={s === props.current ? (props.kind ?? 'step') : undefined}
            className={`wizard-step${s === props.current ? ' current' : ''}${props.invalid?.(s) ? ' invalid' : ''}`}
            onClick={() => props.onGo(s)}
          >
            {props.name(s)}
          </button>
        </li>
      ))}
    </ol>
  );
}

export function WizardFooter(props: { first: boolean; last: boolean; onBack: () => void; finishLabel: string; busy: boolean; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" onClick={storeActions.closeDialog}>
        {t('common.cancel')}
      </button>
      <span className="toolbar-fill" />
      <button type="button" data-testid="wizard-back" disabled={props.first} onClick={props.onBack}>
        {t('policyWizard.back')}
      </button>
      <button type="submit" className="primary" data-testid={props.last ? 'wizard-finish' : 'wizard-next'} aria-busy={props.busy} disabled={props.disabled}>
        {props.last ? props.finishLabel : t('policyWizard.next')}
      </button>
    </>
  );
}
