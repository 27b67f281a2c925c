// A dialog that only shows something: its content and a Close button.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { storeActions } from '../store/store';
import { Dialog } from './Dialog';

export function InfoDialog(props: { title: string; testId: string; children: ReactNode; wide?: boolean }) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={props.title}
      testId={props.testId}
      wide={props.wide}
      onCancel={storeActions.closeDialog}
      onSubmit={storeActions.closeDialog}
      footer={
        <button type="submit" className="primary">
          {t('common.close')}
        </button>
      }
    >
      {props.children}
    </Dialog>
  );
}
