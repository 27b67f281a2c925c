// The frame of the Storage tab's disk dialogs (issue 16): a modal with Cancel and one
// primary button, the platform's note on top, the core's refusal kept in the dialog.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorDetails } from '../components/ErrorDetails';
import { formatBytes } from '../components/format';
import { Dialog } from '../dialogs/Dialog';
import type { Submission } from '../dialogs/use-submit';

export function DiskDialogFrame(props: {
  title: string;
  testId: string;
  okLabel: string;
  note: string | null;
  submission: Submission;
  disabled?: boolean;
  danger?: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { submission } = props;
  return (
    <Dialog
      title={props.title}
      testId={props.testId}
      tone={props.danger ? 'danger' : 'normal'}
      onCancel={props.onClose}
      onSubmit={() => {
        if (!props.disabled) submission.submit();
      }}
      footer={
        <>
          <button type="button" data-testid="disk-dialog-cancel" onClick={props.onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="disk-dialog-ok" disabled={props.disabled} aria-busy={submission.busy}>
            {props.okLabel}
          </button>
        </>
      }
    >
      <div className="form-grid">
        {props.note ? (
          <p className="hint" data-testid="disk-dialog-note">
            {props.note}
          </p>
        ) : null}
        {props.children}
        {submission.error ? <ErrorDetails error={submission.error} /> : null}
      </div>
    </Dialog>
  );
}

/** A size typed as text (a number alone is GiB), with the problem or what it reads as. */
export function SizeField(props: { label: string; testId: string; value: string; bytes: number; problem: string | null; onChange: (text: string) => void }) {
  const { t, i18n } = useTranslation();
  const { problem } = props;
  return (
    <label className={`field${problem ? ' invalid' : ''}`}>
      <span>{props.label}</span>
      <input data-testid={props.testId} value={props.value} aria-invalid={problem ? true : undefined} onChange={(e) => props.onChange(e.target.value)} />
      {problem ? (
        <span className="field-error" role="alert" data-testid="disk-size-error">
          {problem}
        </span>
      ) : (
        <span className="hint">{t('disks.sizeHint', { size: formatBytes(props.bytes, i18n.language) })}</span>
      )}
    </label>
  );
}
