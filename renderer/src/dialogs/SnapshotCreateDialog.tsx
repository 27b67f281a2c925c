// Take a snapshot: a name the platform accepts (its default, checked before it is
// sent), a description, and the memory and volume options the server has.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDescriptor } from '../providers/descriptors';
import { runAction } from '../store/requests';
import { useStore, storeActions } from '../store/store';
import { canSnapshotMemory, canSnapshotVolumes, proposedSnapshotName, snapshotKindsOf, snapshotNameMessage } from '../tree/snapshot-kinds';
import { Dialog } from './Dialog';

export function SnapshotCreateDialog({ vmId, memory: initialMemory }: { vmId: string; memory: boolean }) {
  const { t, i18n } = useTranslation();
  const vm = useStore((s) => s.index.nodes.get(vmId));
  const server = useStore((s) => s.servers.find((v) => v.id === vm?.serverId));
  const descriptor = useDescriptor(server?.type);
  const [name, setName] = useState(() => {
    const now = new Date();
    return proposedSnapshotName(descriptor, vm?.name ?? '', now, t('snapshotCreate.defaultName', { time: now.toLocaleString(i18n.language) }));
  });
  const [description, setDescription] = useState('');
  const [memory, setMemory] = useState(initialMemory);
  const [volumes, setVolumes] = useState(true);
  const [tried, setTried] = useState(false);
  if (!vm) return null;
  const kinds = snapshotKindsOf(server, descriptor);
  const canMemory = canSnapshotMemory(vm, kinds);
  const canVolumes = canSnapshotVolumes(kinds);
  const problem = snapshotNameMessage(descriptor?.snapshotName, name, t, i18n.language);
  const submit = () => {
    setTried(true);
    if (problem) return;
    storeActions.closeDialog();
    storeActions.setDetailsTab('snapshots');
    void runAction([vm.id], 'snapshot_create', {
      name: name.trim(),
      description,
      memory: memory && canMemory,
      ...(canVolumes ? { includeVolumes: volumes } : {}),
    });
  };
  const shownProblem = tried || name !== '' ? problem : null;
  return (
    <Dialog
      title={t('snapshotCreate.title', { vm: vm.name })}
      testId="snapshot-create-dialog"
      onCancel={storeActions.closeDialog}
      onSubmit={submit}
      footer={
        <>
          <button type="button" onClick={storeActions.closeDialog}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" data-testid="snapshot-create-ok" disabled={problem !== null}>
            {t('snapshotCreate.ok')}
          </button>
        </>
      }
    >
      <div className="form-grid">
        <label className={`field${shownProblem ? ' invalid' : ''}`}>
          <span>{t('snapshotCreate.name')}</span>
          <input data-testid="snapshot-name" value={name} aria-invalid={shownProblem ? true : undefined} onChange={(e) => setName(e.target.value)} />
          {shownProblem ? (
            <span className="field-error" role="alert" data-testid="snapshot-name-error">
              {shownProblem}
            </span>
          ) : null}
        </label>
        <label className="field">
          <span>{t('snapshotCreate.description')}</span>
          <textarea data-testid="snapshot-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label className="checkbox">
          <input type="checkbox" data-testid="snapshot-memory" checked={memory && canMemory} disabled={!canMemory} onChange={(e) => setMemory(e.target.checked)} />
          {t('snapshotCreate.memory')}
        </label>
        <p className="hint">{canMemory ? t('snapshotCreate.memoryHint') : t('snapshotCreate.memoryUnavailable')}</p>
        {canVolumes ? (
          <label className="checkbox">
            <input type="checkbox" data-testid="snapshot-volumes" checked={volumes} onChange={(e) => setVolumes(e.target.checked)} />
            {t('snapshotCreate.volumes')}
          </label>
        ) : null}
      </div>
    </Dialog>
  );
}
