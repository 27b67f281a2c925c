// The delete confirmation (XenCenter's Delete VM): the server's plan first — per item its
// disks or volumes with size and storage, its snapshots, the disks other VMs share (they
// stay) — then "Delete disks too" where the platform can keep them, and Force while any runs.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorDetails } from '../../components/ErrorDetails';
import { Dialog } from '../../dialogs/Dialog';
import { runAction } from '../../store/requests';
import { storeActions, useStore } from '../../store/store';
import { DeletePlanItems } from './DeletePlanItems';
import { fetchDeletePlan, type PlanAnswer } from './lifecycle-requests';
import './lifecycle.css';

export function DeleteGuestsDialog({ nodeIds, notes }: { nodeIds: string[]; notes?: string[] }) {
  const { t } = useTranslation();
  const nodes = useStore((s) => s.index.nodes);
  const containersOnly = nodeIds.every((id) => nodes.get(id)?.kind === 'container');
  const [answer, setAnswer] = useState<PlanAnswer | null>(null);
  // a VM's disks go with it unless kept (XenCenter); a container's named volumes stay unless asked (docker rm)
  const [deleteDisks, setDeleteDisks] = useState(!containersOnly);
  const [force, setForce] = useState(false);
  useEffect(() => {
    let live = true;
    void fetchDeletePlan(nodeIds).then((a) => live && setAnswer(a));
    return () => {
      live = false;
    };
  }, [nodeIds]);
  const plan = answer?.ok ? answer.value : null;
  const running = plan?.items.filter((i) => i.running) ?? [];
  const keepDisks = !!plan?.canKeepDisks && !deleteDisks;
  const ready = plan !== null && (running.length === 0 || force);
  const title = nodeIds.length === 1 ? t('lifecycle.deleteTitleOne', { name: nodes.get(nodeIds[0])?.name ?? '' }) : t('lifecycle.deleteTitleMany', { count: nodeIds.length });
  const submit = () => {
    if (!ready) return;
    storeActions.closeDialog();
    const params = { ...(keepDisks ? { keepDisks: true } : {}), ...(running.length ? { force: true } : {}) };
    void runAction(nodeIds, 'destroy', params, (tr) => tr('action.destroy'));
  };
  return (
    <Dialog
      title={title}
      testId="delete-guests-dialog"
      tone="danger"
      wide
      onCancel={storeActions.closeDialog}
      onSubmit={submit}
      footer={
        <>
          <button type="button" data-testid="delete-guests-cancel" onClick={storeActions.closeDialog}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="danger" data-testid="delete-guests-ok" disabled={!ready}>
            {t('lifecycle.deleteOk')}
          </button>
        </>
      }
    >
      {answer === null ? (
        <p className="hint" data-testid="delete-guests-loading">
          {t('lifecycle.readingPlan')}
        </p>
      ) : !answer.ok ? (
        <ErrorDetails error={answer.error} />
      ) : (
        <>
          <p>{t('lifecycle.deleteIntro')}</p>
          <DeletePlanItems plan={answer.value} keepDisks={keepDisks} />
          {answer.value.canKeepDisks ? (
            <div className="confirm-option">
              <label className="checkbox">
                <input type="checkbox" data-testid="delete-guests-disks" checked={deleteDisks} onChange={(e) => setDeleteDisks(e.target.checked)} />
                {t(containersOnly ? 'lifecycle.deleteVolumes' : 'lifecycle.deleteDisks')}
              </label>
              <p className="hint">{t(containersOnly ? 'lifecycle.keepVolumesHint' : 'lifecycle.keepDisksHint')}</p>
            </div>
          ) : null}
          {running.length ? (
            <div className="confirm-option">
              <label className="checkbox">
                <input type="checkbox" data-testid="delete-guests-force" checked={force} onChange={(e) => setForce(e.target.checked)} />
                {t('lifecycle.force')}
              </label>
              <p className={force ? 'hint' : 'field-error'} role={force ? undefined : 'alert'} data-testid="delete-guests-running">
                {t('lifecycle.forceHint', { count: running.length, names: running.map((i) => i.name).join(', ') })}
              </p>
            </div>
          ) : null}
        </>
      )}
      {(notes ?? []).map((note, i) => (
        <p key={i} className="hint" data-testid="confirm-note">
          {note}
        </p>
      ))}
    </Dialog>
  );
}
