// Pull image… on a Docker engine: the reference checked as the engine reads it
// (name[:tag][@digest]) before it is sent; the pull is a task of the engine whose
// progress the tasks panel shows.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ImageReference } from '../../../shared/contract-schemas-guests';
import { ErrorDetails } from '../components/ErrorDetails';
import { FormDialog } from '../dialogs/FormDialog';
import { useSubmit } from '../dialogs/use-submit';
import { storeActions, useStore } from '../store/store';
import { pullImage } from './image-requests';

export function PullImageDialog({ serverId }: { serverId: string }) {
  const { t } = useTranslation();
  const server = useStore((s) => s.servers.find((v) => v.id === serverId));
  const [reference, setReference] = useState('');
  const [touched, setTouched] = useState(false);
  const valid = ImageReference.safeParse(reference.trim()).success;
  const submission = useSubmit(async () => {
    setTouched(true);
    if (!valid) return;
    await pullImage(serverId, reference.trim());
    storeActions.closeDialog();
  });
  const showInvalid = touched && !valid;
  return (
    <FormDialog
      title={t('images.pullTitle', { name: server?.name ?? serverId })}
      testId="pull-image-dialog"
      submitLabel={t('images.pullOk')}
      submitTestId="pull-image-ok"
      onSubmit={submission.submit}
      submitDisabled={reference.trim() === ''}
      busy={submission.busy}
    >
      <div className="form-grid">
        {submission.error ? <ErrorDetails error={submission.error} /> : null}
        <label className={`field${showInvalid ? ' invalid' : ''}`}>
          <span>{t('images.reference')}</span>
          <input
            data-testid="pull-image-reference"
            value={reference}
            spellCheck={false}
            onChange={(e) => setReference(e.target.value)}
            onBlur={() => setTouched(reference !== '')}
          />
          {showInvalid ? (
            <span className="field-error" role="alert" data-testid="pull-image-invalid">
              {t('images.referenceInvalid')}
            </span>
          ) : (
            <span className="hint">{t('images.referenceHint')}</span>
          )}
        </label>
      </div>
    </FormDialog>
  );
}
