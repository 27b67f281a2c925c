// Edit a snapshot's name and description, or only its description where the platform
// keys snapshots by name (the descriptor's snapshotEdit facet says which, and the dialog
// why). A policy's mark is the provider's to keep: the description here is the user's text.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import { ErrorDetails } from '../components/ErrorDetails';
import { FormDialog } from '../dialogs/FormDialog';
import { errorPlace } from '../dialogs/error-field';
import { useSubmit } from '../dialogs/use-submit';
import { useDescriptor } from '../providers/descriptors';
import { startAction } from '../store/requests';
import { storeActions, useStore } from '../store/store';
import { snapshotNameMessage } from '../tree/snapshot-kinds';

export function SnapshotEditDialog({ snapshotId }: { snapshotId: string }) {
  const { t, i18n } = useTranslation();
  const snap = useStore((s) => s.index.nodes.get(snapshotId));
  const server = useStore((s) => s.servers.find((v) => v.id === snap?.serverId));
  const descriptor = useDescriptor(server?.type);
  const [name, setName] = useState(snap?.name ?? '');
  const [description, setDescription] = useState(snap?.snapshot?.description ?? '');
  const mode = descriptor?.facets.snapshotEdit ?? 'none';
  const renames = mode === 'name-and-description';
  const nameProblem = renames ? snapshotNameMessage(descriptor?.snapshotName, name, t, i18n.language) : null;
  const submission = useSubmit(async () => {
    if (!snap || nameProblem) return;
    const newName = renames && name.trim() !== snap.name ? { name: name.trim() } : {};
    await startAction([snap.id], 'snapshot_edit', { ...newName, description });
    storeActions.closeDialog();
  });
  if (!snap) return null;
  const error = submission.error;
  const errorAt = errorPlace(error, ['name', 'description']);
  const platform = descriptor ? localized(descriptor.displayName, i18n.language) : snap.serverId;
  return (
    <FormDialog
      title={t('snapshotTab.editTitle', { snapshot: snap.name })}
      testId="snapshot-edit-dialog"
      submitLabel={t('common.save')}
      submitTestId="snapshot-edit-ok"
      onSubmit={submission.submit}
      submitDisabled={nameProblem !== null}
      busy={submission.busy}
    >
      <div className="form-grid">
        {error && errorAt === null ? <ErrorDetails error={error} /> : null}
        <label className={`field${nameProblem || errorAt === 'name' ? ' invalid' : ''}`}>
          <span>{t('snapshotCreate.name')}</span>
          <input data-testid="snapshot-edit-name" value={name} disabled={!renames} onChange={(e) => setName(e.target.value)} />
          {!renames ? <span className="hint" data-testid="snapshot-edit-name-fixed">{t('snapshotTab.nameFixed', { platform })}</span> : null}
          {nameProblem ? (
            <span className="field-error" role="alert">
              {nameProblem}
            </span>
          ) : null}
          {error && errorAt === 'name' ? <ErrorDetails error={error} compact /> : null}
        </label>
        <label className="field">
          <span>{t('snapshotCreate.description')}</span>
          <textarea data-testid="snapshot-edit-description" rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />
          {error && errorAt === 'description' ? <ErrorDetails error={error} compact /> : null}
        </label>
      </div>
    </FormDialog>
  );
}
