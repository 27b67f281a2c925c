// Evacuate…: before anything moves, where the server would put each running VM of
// the host and what cannot move (hosts:evacuationPlan); then one task with one child
// per VM in the tasks panel.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EvacuationPlan } from '../../../shared/migration';
import { ErrorDetails } from '../components/ErrorDetails';
import { FormDialog } from '../dialogs/FormDialog';
import { runAction } from '../store/requests';
import { storeActions, useStore } from '../store/store';
import { fetchEvacuationPlan, type Answer } from './migration-requests';
import { MigrationReason } from './MigrationReason';
import './migration.css';

export function EvacuateDialog({ hostId }: { hostId: string }) {
  const { t } = useTranslation();
  const host = useStore((s) => s.index.nodes.get(hostId));
  const index = useStore((s) => s.index);
  const [answer, setAnswer] = useState<Answer<EvacuationPlan> | null>(null);
  useEffect(() => {
    let live = true;
    void fetchEvacuationPlan(hostId).then((a) => live && setAnswer(a));
    return () => {
      live = false;
    };
  }, [hostId]);
  if (!host) return null;
  const plan = answer?.ok ? answer.value : null;
  const name = (id: string) => index.nodes.get(id)?.name ?? id;
  const submit = () => {
    if (!plan?.canEvacuate) return;
    storeActions.closeDialog();
    void runAction([hostId], 'evacuate', undefined, t('action.evacuate'));
  };
  return (
    <FormDialog
      title={t('migration.evacuateTitle', { name: host.name })}
      testId="evacuate-dialog"
      submitLabel={t('migration.evacuateOk')}
      submitTestId="evacuate-ok"
      onSubmit={submit}
      submitDisabled={!plan?.canEvacuate}
    >
      <div className="form-grid">
        {answer === null ? (
          <p className="hint" data-testid="evacuate-loading">
            {t('migration.checking')}
          </p>
        ) : !answer.ok ? (
          <ErrorDetails error={answer.error} />
        ) : answer.value.steps.length === 0 ? (
          <p data-testid="evacuate-empty">{t('migration.evacuateEmpty', { name: host.name })}</p>
        ) : (
          <>
            <p>{t('migration.evacuateIntro', { count: answer.value.steps.length, name: host.name })}</p>
            <table className="evacuate-steps" data-testid="evacuate-steps">
              <tbody>
                {answer.value.steps.map((step) => (
                  <tr key={step.vmId} data-testid="evacuate-step" data-vm={name(step.vmId)} data-host={step.targetHostId ? name(step.targetHostId) : ''}>
                    <td>{name(step.vmId)}</td>
                    <td aria-hidden="true">→</td>
                    <td>{step.targetHostId && !step.reason ? name(step.targetHostId) : step.reason ? <MigrationReason error={step.reason} /> : t('migration.noHostFor')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!answer.value.canEvacuate ? (
              <p className="field-error" role="alert" data-testid="evacuate-blocked">
                {t('migration.evacuateBlocked')}
              </p>
            ) : null}
          </>
        )}
      </div>
    </FormDialog>
  );
}
