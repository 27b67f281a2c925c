import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore, storeActions } from '../store/store';
import { runAction } from '../store/commands';
import { Dialog } from './Dialog';
import { canSnapshotMemory, canSnapshotVolumes, defaultSnapshotName } from '../tree/snapshot-kinds';

export function SnapshotCreateDialog({ vmId, memory: initialMemory }: { vmId: string; memory: boolean }) {
  const { t, i18n } = useTranslation();
  const vm = useStore((s) => s.index.nodes.get(vmId));
  const server = useStore((s) => s.servers.find((v) => v.id === vm?.serverId));
  const [name, setName] = useState(() => {
    const now = new Date();
    return defaultSnapshotName(server, now, t('snapshotCreate.defaultName', { time: now.toLocaleString(i18n.language) }));
  });
  const [description, setDescription] = useState('');
  const [memory, setMemory] = useState(initialMemory);
  const [volumes, setVolumes] = useState(true);
  if (!vm) return null;
  const canMemory = canSnapshotMemory(vm, server);
  const canVolumes = canSnapshotVolumes(server);
  const submit = () => {
    if (!name.trim()) return;
    storeActions.closeDialog();
    storeActions.setDetailsTab('snapshots');
    void runAction([vm.id], 'snapshot_create', {
      name: name.trim(),
      description,
      memory: memory && canMemory,
      ...(canVolumes ? { includeVolumes: volumes } : {}),
    });
  };
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
          <button type="submit" className="primary" data-testid="snapshot-create-ok" disabled={!name.trim()}>
            {t('snapshotCreate.ok')}
          </button>
        </>
      }
    >
      <div className="form-grid">
        <label className="field">
          <span>{t('snapshotCreate.name')}</span>
          <input data-testid="snapshot-name" value={name} onChange={(e) => setName(e.target.value)} />
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
