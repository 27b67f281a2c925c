import { useTranslation } from 'react-i18next';
import { storeActions } from '../store/store';
import { Dialog } from './Dialog';

export function ConfirmDialog(props: { title: string; message: string; confirmLabel: string; danger?: boolean; onConfirm: () => void }) {
  const { t } = useTranslation();
  const confirm = () => {
    storeActions.closeDialog();
    props.onConfirm();
  };
  return (
    <Dialog
      title={props.title}
      testId="confirm-dialog"
      tone={props.danger ? 'danger' : 'normal'}
      onCancel={storeActions.closeDialog}
      onSubmit={confirm}
      footer={
        <>
          <button type="button" data-testid="confirm-cancel" onClick={storeActions.closeDialog}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={props.danger ? 'danger' : 'primary'} data-testid="confirm-ok" data-autofocus>
            {props.confirmLabel}
          </button>
        </>
      }
    >
      <p>{props.message}</p>
    </Dialog>
  );
}
