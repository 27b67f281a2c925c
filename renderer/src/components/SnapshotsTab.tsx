// Snapshots tab: the VM's snapshot tree with take / revert / delete / properties.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { InventoryNode } from '../../../shared/model';
import { useStore, storeActions } from '../store/store';
import { runAction } from '../store/commands';
import { snapshotRows } from '../tree/snapshot-tree';
import { canSnapshotMemory, snapshotKindKey } from '../tree/snapshot-kinds';
import { formatDateTime } from './format';
import { NodeIcon, Glyph } from './Icons';

export function SnapshotsTab({ vm }: { vm: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const snapshots = useStore(
    useShallow((s) => (s.index.snapshotsOf.get(vm.id) ?? []).map((id) => s.index.nodes.get(id)!).filter(Boolean)),
  );
  const server = useStore((s) => s.servers.find((v) => v.id === vm.serverId));
  const memoryCapable = canSnapshotMemory(vm, server);
  const selectedId = useStore((s) => s.selectedSnapshotId);
  const rows = useMemo(() => snapshotRows(vm, snapshots), [vm, snapshots]);
  const selected = snapshots.find((s) => s.id === selectedId) ?? null;
  const canCreate = vm.allowed.includes('snapshot_create');

  const revert = () => {
    if (!selected) return;
    storeActions.openDialog({
      kind: 'confirm',
      title: t('snapshots.revertTitle'),
      message: `${t('snapshots.revertMessage', { vm: vm.name, snapshot: selected.name })}${server?.type === 'docker' ? ` ${t('snapshots.revertRecreates')}` : ''}`,
      confirmLabel: t('snapshots.revert'),
      danger: true,
      onConfirm: () => void runAction([selected.id], 'snapshot_revert'),
    });
  };
  const remove = () => {
    if (!selected) return;
    storeActions.openDialog({
      kind: 'confirm',
      title: t('snapshots.deleteTitle'),
      message: t('snapshots.deleteMessage', { snapshot: selected.name }),
      confirmLabel: t('snapshots.delete'),
      danger: true,
      onConfirm: () => {
        storeActions.selectSnapshot(null);
        void runAction([selected.id], 'snapshot_delete');
      },
    });
  };

  // Platforms that delete a whole snapshot tree in one operation (vSphere) allow snapshot_delete on the VM itself.
  const canDeleteAll = snapshots.length > 0 && vm.allowed.includes('snapshot_delete');
  const removeAll = () => {
    storeActions.openDialog({
      kind: 'confirm',
      title: t('snapshots.deleteAllTitle'),
      message: t('snapshots.deleteAllMessage', { vm: vm.name, count: snapshots.length }),
      confirmLabel: t('snapshots.deleteAllTitle'),
      danger: true,
      onConfirm: () => {
        storeActions.selectSnapshot(null);
        void runAction([vm.id], 'snapshot_delete');
      },
    });
  };

  return (
    <div className="snapshots-tab">
      <div className="subtoolbar" role="toolbar" aria-label={t('snapshots.toolbarLabel')}>
        <button type="button" data-testid="snap-take" disabled={!canCreate} onClick={() => storeActions.openDialog({ kind: 'snapshotCreate', vmId: vm.id, memory: false })}>
          <Glyph name="snapshot" />
          {t('snapshots.take')}
        </button>
        <button
          type="button"
          data-testid="snap-take-memory"
          disabled={!canCreate || !memoryCapable}
          onClick={() => storeActions.openDialog({ kind: 'snapshotCreate', vmId: vm.id, memory: true })}
        >
          {t('snapshots.takeWithMemory')}
        </button>
        <span className="toolbar-sep" />
        <button type="button" data-testid="snap-revert" disabled={!selected || !selected.allowed.includes('snapshot_revert')} onClick={revert}>
          {t('snapshots.revert')}
        </button>
        <button type="button" data-testid="snap-delete" disabled={!selected || !selected.allowed.includes('snapshot_delete')} onClick={remove}>
          {t('snapshots.delete')}
        </button>
        {canDeleteAll ? (
          <button type="button" data-testid="snap-delete-all" onClick={removeAll}>
            {t('snapshots.deleteAll')}
          </button>
        ) : null}
        <button
          type="button"
          data-testid="snap-properties"
          disabled={!selected}
          onClick={() => selected && storeActions.openDialog({ kind: 'snapshotProperties', snapshotId: selected.id })}
        >
          {t('snapshots.properties')}
        </button>
      </div>
      {snapshots.length === 0 ? <p className="details-hint" data-testid="snap-empty">{t('snapshots.none')}</p> : null}
      <ul className="snapshot-tree" role="tree" aria-label={t('snapshots.treeLabel')} data-testid="snapshot-tree">
        {rows.map((row) =>
          row.type === 'here' ? (
            <li key="here" role="treeitem" aria-level={row.depth + 1} aria-selected={false} className="snapshot-row here" style={{ paddingLeft: 8 + row.depth * 20 }} data-testid="snapshot-here">
              <span className="here-marker" aria-hidden="true" />
              {t('snapshots.youAreHere')}
            </li>
          ) : (
            <li
              key={row.node.id}
              role="treeitem"
              aria-level={row.depth + 1}
              aria-selected={row.node.id === selectedId}
              aria-label={row.node.name}
              data-testid="snapshot-row"
              data-id={row.node.id}
              className={`snapshot-row${row.node.id === selectedId ? ' selected' : ''}`}
              style={{ paddingLeft: 8 + row.depth * 20 }}
              onClick={() => storeActions.selectSnapshot(row.node.id)}
              onDoubleClick={() => storeActions.openDialog({ kind: 'snapshotProperties', snapshotId: row.node.id })}
            >
              <NodeIcon kind="snapshot" />
              <span className="snapshot-name">{row.node.name}</span>
              <span className="snapshot-meta">
                {t(snapshotKindKey(row.node))}
                {row.node.snapshot?.time ? ` · ${formatDateTime(row.node.snapshot.time, i18n.language)}` : ''}
              </span>
            </li>
          ),
        )}
      </ul>
    </div>
  );
}
