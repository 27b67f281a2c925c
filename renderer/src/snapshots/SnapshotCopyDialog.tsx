// A new VM (or container) from a snapshot, or a template from it: the new object's name,
// then one task; the core's refusal stays in the dialog beside the name.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorDetails } from '../components/ErrorDetails';
import { FormDialog } from '../dialogs/FormDialog';
import { errorPlace } from '../dialogs/error-field';
import { useSubmit } from '../dialogs/use-submit';
import { actionLabel } from '../providers/action-labels';
import { useDescriptor } from '../providers/descriptors';
import { startAction } from '../store/requests';
import { storeActions, useStore } from '../store/store';

export function SnapshotCopyDialog({ snapshotId, action }: { snapshotId: string; action: 'snapshot_clone' | 'snapshot_template' }) {
  const { t, i18n } = useTranslation();
  const snap = useStore((s) => s.index.nodes.get(snapshotId));
  const vm = useStore((s) => (snap?.snapshot ? s.index.nodes.get(snap.snapshot.ofId) : undefined));
  const server = useStore((s) => s.servers.find((v) => v.id === snap?.serverId));
  const descriptor = useDescriptor(server?.type);
  const [name, setName] = useState(() =>
    t(action === 'snapshot_clone' ? 'snapshotTab.cloneName' : 'snapshotTab.templateName', { vm: vm?.name ?? '', snapshot: snap?.name ?? '' }),
  );
  const submission = useSubmit(async () => {
    if (!snap || !name.trim()) return;
    await startAction([snap.id], action, { name: name.trim() });
    storeActions.closeDialog();
  });
  if (!snap) return null;
  const label = actionLabel(t, i18n.language, action, [descriptor]);
  const error = submission.error;
  const errorAt = errorPlace(error, ['name']);
  const empty = name.trim() === '';
  return (
    <FormDialog
      title={label}
      testId="snapshot-copy-dialog"
      submitLabel={label}
      submitTestId="snapshot-copy-ok"
      onSubmit={submission.submit}
      submitDisabled={empty}
      busy={submission.busy}
    >
      <div className="form-grid">
        <p>{t(action === 'snapshot_clone' ? 'snapshotTab.cloneIntro' : 'snapshotTab.templateIntro', { vm: vm?.name ?? '', snapshot: snap.name })}</p>
        {error && errorAt === null ? <ErrorDetails error={error} /> : null}
        <label className={`field${empty || errorAt ? ' invalid' : ''}`}>
          <span>{t(action === 'snapshot_clone' ? 'snapshotTab.newName' : 'snapshotTab.templateNameLabel')}</span>
          <input data-testid="snapshot-copy-name" value={name} onChange={(e) => setName(e.target.value)} />
          {empty ? (
            <span className="field-error" role="alert">
              {t('snapshotTab.nameRequired')}
            </span>
          ) : null}
          {error && errorAt ? <ErrorDetails error={error} compact /> : null}
        </label>
      </div>
    </FormDialog>
  );
}
