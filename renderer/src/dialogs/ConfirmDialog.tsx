// Asks before a command acts: what it will do, the objects it acts on, and what it leaves out.
import { useTranslation } from 'react-i18next';
import { storeActions, type ConfirmRequest } from '../store/store';
import { Dialog } from './Dialog';

const LISTED = 12;

export function ConfirmDialog({ request, onConfirm }: { request: ConfirmRequest; onConfirm: () => void }) {
  const { t } = useTranslation();
  const confirm = () => {
    storeActions.closeDialog();
    onConfirm();
  };
  const targets = request.targets ?? [];
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
      {targets.length ? (
        <ul className="confirm-targets" data-testid="confirm-targets">
          {targets.slice(0, LISTED).map((name, i) => (
            <li key={`${i}-${name}`}>{name}</li>
          ))}
          {targets.length > LISTED ? <li className="hint">{t('confirm.andMore', { count: targets.length - LISTED })}</li> : null}
        </ul>
      ) : null}
      {(request.notes ?? []).map((note, i) => (
        <p key={i} className="hint" data-testid="confirm-note">
          {note}
        </p>
      ))}
    </Dialog>
  );
}
