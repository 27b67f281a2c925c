// Clone (XenCenter's Copy VM): the new guest's name and, where the platform has both,
// a fast clone (copy-on-write / linked) or a full copy; then one task. The core's
// refusal stays in the dialog beside the name.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from '../../../../shared/descriptor';
import { ErrorDetails } from '../../components/ErrorDetails';
import { FormDialog } from '../../dialogs/FormDialog';
import { errorPlace } from '../../dialogs/error-field';
import { useSubmit } from '../../dialogs/use-submit';
import { actionLabel } from '../../providers/action-labels';
import { useDescriptor } from '../../providers/descriptors';
import { startAction } from '../../store/requests';
import { storeActions, useStore } from '../../store/store';
import './lifecycle.css';

export function CloneGuestDialog({ nodeId }: { nodeId: string }) {
  const { t, i18n } = useTranslation();
  const node = useStore((s) => s.index.nodes.get(nodeId));
  const server = useStore((s) => s.servers.find((v) => v.id === node?.serverId));
  const descriptor = useDescriptor(server?.type);
  const modes = descriptor?.facets.guests?.clone ?? [];
  // why a clone kind is not offered (vSphere: no fast clone)
  const cloneNote = descriptor?.facets.guests?.cloneNote;
  const [name, setName] = useState(() => t('lifecycle.cloneDefaultName', { name: node?.name ?? '' }));
  const [full, setFull] = useState(!modes.includes('fast'));
  const submission = useSubmit(async () => {
    if (!node || !name.trim()) return;
    await startAction([node.id], 'clone', { name: name.trim(), ...(full ? { full: true } : {}) });
    storeActions.closeDialog();
  });
  if (!node) return null;
  const label = actionLabel(t, i18n.language, 'clone', [descriptor]);
  const error = submission.error;
  const errorAt = errorPlace(error, ['name']);
  const empty = name.trim() === '';
  return (
    <FormDialog
      title={t('lifecycle.cloneTitle', { action: label, name: node.name })}
      testId="clone-guest-dialog"
      submitLabel={label}
      submitTestId="clone-guest-ok"
      onSubmit={submission.submit}
      submitDisabled={empty}
      busy={submission.busy}
    >
      <div className="form-grid">
        {error && errorAt === null ? <ErrorDetails error={error} /> : null}
        <label className={`field${empty || errorAt ? ' invalid' : ''}`}>
          <span>{t('lifecycle.newName')}</span>
          <input data-testid="clone-guest-name" value={name} onChange={(e) => setName(e.target.value)} />
          {empty ? (
            <span className="field-error" role="alert">
              {t('lifecycle.nameRequired')}
            </span>
          ) : null}
          {error && errorAt ? <ErrorDetails error={error} compact /> : null}
        </label>
        {modes.length > 1 ? (
          <fieldset className="field clone-mode" data-testid="clone-guest-mode">
            <legend>{t('lifecycle.cloneMode')}</legend>
            <label className="radio">
              <input type="radio" name="clone-mode" data-testid="clone-guest-fast" checked={!full} onChange={() => setFull(false)} />
              {t('lifecycle.fastClone')}
            </label>
            <p className="hint">{t('lifecycle.fastCloneHint')}</p>
            <label className="radio">
              <input type="radio" name="clone-mode" data-testid="clone-guest-full" checked={full} onChange={() => setFull(true)} />
              {t('lifecycle.fullCopy')}
            </label>
            <p className="hint">{t('lifecycle.fullCopyHint')}</p>
          </fieldset>
        ) : null}
        {cloneNote ? (
          <p className="hint" data-testid="clone-guest-note">
            {localized(cloneNote, i18n.language)}
          </p>
        ) : null}
      </div>
    </FormDialog>
  );
}
