// A dialog that asks for input: its form, Cancel, and one primary button that submits
// (disabled while the input cannot be sent; marked busy while it is being sent).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { storeActions } from '../store/store';
import { Dialog } from './Dialog';

export function FormDialog(props: {
  title: string;
  testId: string;
  submitLabel: string;
  submitTestId: string;
  onSubmit: () => void;
  submitDisabled?: boolean;
  busy?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={props.title}
      testId={props.testId}
      onCancel={storeActions.closeDialog}
      onSubmit={props.onSubmit}
      footer={
        <>
          <button type="button" onClick={storeActions.closeDialog}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid={props.submitTestId} disabled={props.submitDisabled} aria-busy={props.busy}>
            {props.submitLabel}
          </button>
        </>
      }
    >
      {props.children}
    </Dialog>
  );
}
