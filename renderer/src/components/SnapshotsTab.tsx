// Snapshots tab: the VM's snapshot tree with its commands (take, revert, delete, edit,
// properties), each snapshot's kind and policy marked, a context menu on each row and
// the selected snapshot's details beside the tree.
import { useMemo, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { InventoryNode } from '../../../shared/model';
import { SNAPSHOT_MENU, SNAPSHOTS_TAB } from '../commands/layouts';
import { runCommand } from '../commands/runner';
import { SnapshotDetails } from '../snapshots/SnapshotDetails';
import { SnapshotListStatus } from '../snapshots/SnapshotListStatus';
import { policyLabel } from '../snapshots/policy-label';
import '../snapshots/snapshots.css';
import { useStore, storeActions } from '../store/store';
import { snapshotRows, type SnapshotRow } from '../tree/snapshot-tree';
import { snapshotKindKey } from '../tree/snapshot-kinds';
import { CommandBar } from './CommandBar';
import { formatDateTime } from './format';
import { SnapshotIcon } from './Icons';

/** Keys on the tree: arrows move, F2 edits, Delete deletes, Enter shows properties, the menu key opens the row's menu. */
const KEY_COMMANDS: Record<string, string> = { F2: 'edit-snapshot', Delete: 'delete-snapshot', Enter: 'snapshot-properties' };

export function SnapshotsTab({ vm }: { vm: InventoryNode }) {
  const { t, i18n } = useTranslation();
  const snapshots = useStore(
    useShallow((s) => (s.index.snapshotsOf.get(vm.id) ?? []).map((id) => s.index.nodes.get(id)!).filter(Boolean)),
  );
  const policies = useStore((s) => s.policies);
  const selectedId = useStore((s) => s.selectedSnapshotId);
  // no "you are here" before the list is read: there is nothing yet to be somewhere in
  const rows = useMemo(() => (vm.snapshotsPending ? [] : snapshotRows(vm, snapshots)), [vm, snapshots]);
  const scope = useMemo(() => ({ keys: [vm.id] }), [vm.id]);
  const selected = snapshots.find((s) => s.id === selectedId);
  const snapshotIds = rows.flatMap((row) => (row.type === 'snapshot' ? [row.node.id] : []));

  const openMenu = (x: number, y: number, id: string) => {
    storeActions.selectSnapshot(id);
    storeActions.openContextMenu(x, y, { items: [...SNAPSHOT_MENU], scope });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const at = selectedId ? snapshotIds.indexOf(selectedId) : -1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next = snapshotIds[Math.max(0, Math.min(snapshotIds.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next) storeActions.selectSnapshot(next);
    } else if ((e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && selectedId) {
      const row = e.currentTarget.querySelector<HTMLElement>(`[data-id="${CSS.escape(selectedId)}"]`)?.getBoundingClientRect();
      openMenu((row?.left ?? 0) + 24, row?.bottom ?? 0, selectedId);
    } else if (KEY_COMMANDS[e.key] && selectedId) {
      runCommand(KEY_COMMANDS[e.key], scope);
    } else return;
    e.preventDefault();
  };

  const snapshotRow = (row: Extract<SnapshotRow, { type: 'snapshot' }>) => {
    const node = row.node;
    const policy = policyLabel(node, policies, t);
    const memory = node.snapshot?.withMemory ?? false;
    return (
      <li
        key={node.id}
        id={`snapshot-row-${node.id}`}
        role="treeitem"
        aria-level={row.depth + 1}
        aria-selected={node.id === selectedId}
        aria-label={node.name}
        data-testid="snapshot-row"
        data-id={node.id}
        data-memory={memory}
        data-policy={policy ?? undefined}
        className={`snapshot-row${node.id === selectedId ? ' selected' : ''}`}
        style={{ paddingLeft: 8 + row.depth * 20 }}
        onClick={() => storeActions.selectSnapshot(node.id)}
        onDoubleClick={() => {
          storeActions.selectSnapshot(node.id);
          runCommand('snapshot-properties', scope);
        }}
        onContextMenu={(e) => {
          e.preventDefault();
          openMenu(e.clientX, e.clientY, node.id);
        }}
      >
        <SnapshotIcon memory={memory} policy={policy !== null} />
        <span className="snapshot-name">{node.name}</span>
        <span className="snapshot-meta">
          {t(snapshotKindKey(node))}
          {node.snapshot?.time ? ` · ${formatDateTime(node.snapshot.time, i18n.language)}` : ''}
        </span>
        {policy ? (
          <span className="policy-chip" data-testid="snapshot-policy" title={t('snapshotTab.byPolicy', { policy })}>
            {policy}
          </span>
        ) : null}
      </li>
    );
  };

  return (
    <div className="snapshots-tab">
      <div className="subtoolbar" role="toolbar" aria-label={t('snapshots.toolbarLabel')}>
        <CommandBar layout={SNAPSHOTS_TAB} testIdPrefix="snap-" scope={scope} />
      </div>
      <div className="snapshots-body">
        <div className="snapshots-tree-pane">
          <SnapshotListStatus vm={vm} snapshotCount={snapshots.length} />
          <ul
            className="snapshot-tree"
            role="tree"
            tabIndex={0}
            aria-label={t('snapshots.treeLabel')}
            aria-activedescendant={selected ? `snapshot-row-${selected.id}` : undefined}
            data-testid="snapshot-tree"
            onKeyDown={onKeyDown}
          >
            {rows.map((row) =>
              row.type === 'here' ? (
                <li key="here" role="treeitem" aria-level={row.depth + 1} aria-selected={false} className="snapshot-row here" style={{ paddingLeft: 8 + row.depth * 20 }} data-testid="snapshot-here">
                  <span className="here-marker" aria-hidden="true" />
                  {t('snapshots.youAreHere')}
                </li>
              ) : (
                snapshotRow(row)
              ),
            )}
          </ul>
        </div>
        {snapshots.length ? <SnapshotDetails snapshot={selected} scope={scope} /> : null}
      </div>
    </div>
  );
}
