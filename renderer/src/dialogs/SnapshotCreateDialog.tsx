// Take a snapshot of one VM, or of several at once with one name (one task each): a
// name every platform accepts (its default, checked before it is sent), a description,
// and the memory and volume options all the servers have.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { InventoryNode } from '../../../shared/model';
import { descriptorOf } from '../providers/descriptors';
import { runAction } from '../store/requests';
import { useStore, storeActions } from '../store/store';
import { canSnapshotMemory, canSnapshotVolumes, proposedSnapshotName, sharedNameMessage, sharedSnapshotName, snapshotKindsOf } from '../tree/snapshot-kinds';
import { FormDialog } from './FormDialog';
import { TargetList } from './TargetList';

export function SnapshotCreateDialog({ vmIds, memory: initialMemory, notes }: { vmIds: string[]; memory: boolean; notes?: string[] }) {
  const { t, i18n } = useTranslation();
  const vms = useStore(useShallow((s) => vmIds.map((id) => s.index.nodes.get(id)).filter((n): n is InventoryNode => n !== undefined)));
  const servers = useStore(useShallow((s) => vms.map((vm) => s.servers.find((v) => v.id === vm.serverId))));
  const descriptors = useStore(useShallow((s) => servers.map((server) => descriptorOf(s, server?.type))));
  const [name, setName] = useState(() => {
    const now = new Date();
    const fallback = t('snapshotCreate.defaultName', { time: now.toLocaleString(i18n.language) });
    return vms.length === 1 ? proposedSnapshotName(descriptors[0], vms[0].name, now, fallback) : sharedSnapshotName(descriptors, now, fallback);
  });
  const [description, setDescription] = useState('');
  const [memory, setMemory] = useState(initialMemory);
  const [volumes, setVolumes] = useState(true);
  const [tried, setTried] = useState(false);
  if (vms.length === 0) return null;
  const kinds = vms.map((_vm, i) => snapshotKindsOf(servers[i], descriptors[i]));
  const canMemory = vms.every((vm, i) => canSnapshotMemory(vm, kinds[i]));
  const canVolumes = kinds.some(canSnapshotVolumes);
  const resumes = descriptors.every((d) => d?.facets.memoryRevertResumes ?? false);
  const problem = sharedNameMessage(descriptors, name, t, i18n.language);
  const submit = () => {
    setTried(true);
    if (problem) return;
    storeActions.closeDialog();
    if (vms.length === 1) storeActions.setDetailsTab('snapshots');
    void runAction(
      vms.map((vm) => vm.id),
      'snapshot_create',
      { name: name.trim(), description, memory: memory && canMemory, ...(canVolumes ? { includeVolumes: volumes } : {}) },
    );
  };
  const shownProblem = tried || name !== '' ? problem : null;
  return (
    <FormDialog
      title={vms.length === 1 ? t('snapshotCreate.title', { vm: vms[0].name }) : t('snapshotCreate.titleMany', { count: vms.length })}
      testId="snapshot-create-dialog"
      submitLabel={t('snapshotCreate.ok')}
      submitTestId="snapshot-create-ok"
      onSubmit={submit}
      submitDisabled={problem !== null}
    >
      <div className="form-grid">
        {vms.length > 1 ? <TargetList intro={t('snapshotCreate.manyIntro', { count: vms.length })} names={vms.map((vm) => vm.name)} notes={notes} /> : null}
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
        <p className="hint">{!canMemory ? t('snapshotCreate.memoryUnavailable') : resumes ? t('snapshotCreate.memoryHint') : t('snapshotCreate.memoryHintStays')}</p>
        {canVolumes ? (
          <label className="checkbox">
            <input type="checkbox" data-testid="snapshot-volumes" checked={volumes} onChange={(e) => setVolumes(e.target.checked)} />
            {t('snapshotCreate.volumes')}
          </label>
        ) : null}
      </div>
    </FormDialog>
  );
}
