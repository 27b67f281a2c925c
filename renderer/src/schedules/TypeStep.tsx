// The snapshot type: only those every member's platform has (the others greyed, saying why).
import { useTranslation } from 'react-i18next';
import type { StepProps } from './wizard-draft';
import { SNAPSHOT_TYPES, typeProblem, type Member } from './policy-rules';
import { FieldProblem } from './FieldProblem';

export function TypeStep({ draft, change, problems, members }: StepProps & { members: readonly Member[] }) {
  const { t, i18n } = useTranslation();
  return (
    <fieldset className="field wizard-choices" data-testid="policy-type">
      <legend>{t('policyWizard.typeIntro')}</legend>
      {SNAPSHOT_TYPES.map((type) => {
        const lacks = typeProblem(type, members, t, i18n.language);
        return (
          <div key={type} className="wizard-choice" data-type={type} data-disabled-reason={lacks ?? undefined}>
            <label className="checkbox">
              <input type="radio" name="policy-type" data-testid={`policy-type-${type}`} checked={draft.type === type} disabled={lacks !== null} onChange={() => change({ type })} />
              {t(`schedules.type.${type}`)}
            </label>
            <p className="hint">{lacks ?? t(`policyWizard.typeHint.${type}`)}</p>
          </div>
        );
      })}
      <FieldProblem text={problems.type} testId="policy-type-error" />
    </fieldset>
  );
}
