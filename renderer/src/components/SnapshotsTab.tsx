// Snapshots tab: the VM's snapshot tree with its commands (take, revert, delete, properties).
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { InventoryNode } from '../../../shared/model';
import { SNAPSHOTS_TAB } from '../commands/layouts';
import { runCommand } from '../commands/runner';
import { useStore, storeActions } from '../store/store';
import { snapshotRows } from '../tree/snapshot-tree';
import { snapshotKindKey } from '../tree/snapshot-kinds';
import { CommandBar } from './CommandBar';
import { formatDateTime } from './format';
import { NodeIcon } from './Icons';

export function SnapshotsTab({ vm }: { vm: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const snapshots = useStore(
    useShallow((s) => (s.index.snapshotsOf.get(vm.id) ?? []).map((id) => s.index.nodes.get(id)!).filter(Boolean)),
  );
  const selectedId = useStore((s) => s.selectedSnapshotId);
  const rows = useMemo(() => snapshotRows(vm, snapshots), [vm, snapshots]);
  const scope = useMemo(() => ({ keys: [vm.id] }), [vm.id]);

  return (
    <div className="snapshots-tab">
      <div className="subtoolbar" role="toolbar" aria-label={t('snapshots.toolbarLabel')}>
        <CommandBar layout={SNAPSHOTS_TAB} testIdPrefix="snap-" scope={scope} />
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
              onDoubleClick={() => {
                storeActions.selectSnapshot(row.node.id);
                runCommand('snapshot-properties', scope);
              }}
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
