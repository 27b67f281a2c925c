// The wizard's first and last pages: the policy's name and description; then a summary
// of everything chosen, whether it is enabled, and (for a new one) whether to run it now.
import { useTranslation } from 'react-i18next';
import type { PolicyRunner } from '../../../shared/schedules';
import { useStore } from '../store/store';
import { describeSchedule } from './frequency';
import type { StepProps } from './wizard-draft';
import type { Member } from './policy-rules';
import { frequencyOf } from './wizard-draft';
import { FieldProblem } from './FieldProblem';

export function NameStep({ draft, change, problems }: StepProps) {
  const { t } = useTranslation();
  return (
    <div className="form-grid">
      <p className="hint">{t('policyWizard.nameIntro')}</p>
      <label className={`field${problems.name ? ' invalid' : ''}`}>
        <span>{t('policyWizard.name')}</span>
        <input data-testid="policy-name" value={draft.name} onChange={(e) => change({ name: e.target.value })} />
        <FieldProblem text={problems.name} testId="policy-name-error" />
      </label>
      <label className={`field${problems.description ? ' invalid' : ''}`}>
        <span>{t('policyWizard.description')}</span>
        <textarea data-testid="policy-description" rows={3} value={draft.description} onChange={(e) => change({ description: e.target.value })} />
        <FieldProblem text={problems.description} />
      </label>
    </div>
  );
}

export function FinishStep(
  props: StepProps & { runner: PolicyRunner; zone: string | null; members: readonly Member[]; runNow?: { value: boolean; set: (v: boolean) => void } },
) {
  const { t, i18n } = useTranslation();
  const { draft, change, runner } = props;
  const serverName = useStore((s) => (runner.kind === 'server' ? s.servers.find((v) => v.id === runner.serverId)?.name : undefined));
  return (
    <div className="form-grid">
      <p className="hint">{t('policyWizard.finishIntro')}</p>
      <dl className="prop-grid" data-testid="policy-summary">
        <dt>{t('policyWizard.name')}</dt>
        <dd data-prop="name">{draft.name}</dd>
        <dt>{t('schedules.col.members')}</dt>
        <dd data-prop="members">{props.members.map((m) => m.node?.name ?? m.id).join(', ')}</dd>
        <dt>{t('schedules.col.runner')}</dt>
        <dd data-prop="runner">{serverName ? t('schedules.runsOnServer', { server: serverName }) : t('schedules.runsHere')}</dd>
        <dt>{t('schedules.col.type')}</dt>
        <dd data-prop="type">{t(`schedules.type.${draft.type}`)}</dd>
        <dt>{t('schedules.col.schedule')}</dt>
        <dd data-prop="schedule">{describeSchedule(frequencyOf(draft), props.zone, t, i18n.language)}</dd>
        <dt>{t('schedules.col.keep')}</dt>
        <dd data-prop="keep">{draft.retain}</dd>
      </dl>
      <label className="checkbox">
        <input type="checkbox" data-testid="policy-enabled" checked={draft.enabled} onChange={(e) => change({ enabled: e.target.checked })} />
        {t('policyWizard.enabled')}
      </label>
      {props.runNow ? (
        <label className="checkbox">
          <input type="checkbox" data-testid="policy-run-now" checked={props.runNow.value} onChange={(e) => props.runNow!.set(e.target.checked)} />
          {t('policyWizard.runNow')}
        </label>
      ) : null}
    </div>
  );
}
