// Asks before a command acts: what it will do, the objects it acts on, what it leaves
// out, and the options it offers (e.g. take a snapshot of the current state first).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { storeActions, type ConfirmAnswers, type ConfirmRequest } from '../store/store';
import { Dialog } from './Dialog';
import { TargetList } from './TargetList';

export function ConfirmDialog({ request, onConfirm }: { request: ConfirmRequest; onConfirm: (answers: ConfirmAnswers) => void }) {
  const { t } = useTranslation();
  const [answers, setAnswers] = useState<ConfirmAnswers>(() => Object.fromEntries((request.options ?? []).map((o) => [o.id, o.checked])));
  const confirm = () => {
    storeActions.closeDialog();
    onConfirm(answers);
  };
  return (
    <Dialog
      title={request.title}
      testId="confirm-dialog"
      tone={request.danger ? 'danger' : 'normal'}
      onCancel={storeActions.closeDialog}
      onSubmit={confirm}
      footer={
        <>
          <button type="button" data-testid="confirm-cancel" onClick={storeActions.closeDialog}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={request.danger ? 'danger' : 'primary'} data-testid="confirm-ok" data-autofocus>
            {request.confirmLabel}
          </button>
        </>
      }
    >
      <p>{request.message}</p>
      <TargetList names={request.targets ?? []} notes={request.notes} />
      {(request.options ?? []).map((option) => (
        <div key={option.id} className="confirm-option">
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid={`confirm-option-${option.id}`}
              checked={answers[option.id] ?? false}
              onChange={(e) => setAnswers({ ...answers, [option.id]: e.target.checked })}
            />
            {option.label}
          </label>
          {option.hint ? <p className="hint">{option.hint}</p> : null}
        </div>
      ))}
    </Dialog>
  );
}
