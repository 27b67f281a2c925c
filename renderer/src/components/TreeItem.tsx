// One row of the Infrastructure tree: icon with its state mark, the platform's label,
// the state in words where it needs attention, and a server's connection and warnings.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PowerState } from '../../../shared/model';
import { storeActions } from '../store/store';
import { runCommand } from '../commands/runner';
import { useDescriptor } from '../providers/descriptors';
import type { TreeRow } from '../tree/flatten';
import { treeLabel } from '../tree/guest-label';
import type { Duplicate } from '../tree/duplicates';
import { serverKey } from '../tree/inventory-index';
import { NodeIcon, ServerIcon, Glyph } from './Icons';
import { TreeUsage } from '../overview/TreeUsage';
import { FreeSpaceBar } from '../storage/FreeSpaceBar';
import { Twisty } from './Twisty';
import { lastKnownAge, lastKnownTitle } from '../last-known/age';

export const ROW_HEIGHT = 22;

/** States worth words next to the name; running and halted read from the icon alone. */
const SAID_STATES = new Set<PowerState>(['suspended', 'paused', 'unhealthy', 'restarting', 'unknown']);

export interface TreeItemProps {
  row: TreeRow;
  index: number;
  top: number;
  selected: boolean;
  focused: boolean;
  /** the node's server is not connected: its last known state may be wrong */
  stale: boolean;
  /** the provider type of the row's server: its descriptor's mark and labels */
  serverType?: string;
  duplicate?: Duplicate;
  onClick: (e: React.MouseEvent, row: TreeRow, index: number) => void;
  onContextMenu: (e: React.MouseEvent, row: TreeRow) => void;
}

/**
 * The same row drawn again only when what it shows changed: its node or server object (a
 * change replaces it), its place, selection or state. The tree renders once per batch of
 * changes; the rows whose nodes the batch did not touch are skipped. The handlers are not
 * compared: the tree passes stable ones.
 */
export const TreeItem = memo(TreeItemRow, (a, b) => {
  const r = a.row;
  const s = b.row;
  return (
    r.key === s.key &&
    r.node === s.node &&
    r.server === s.server &&
    r.depth === s.depth &&
    r.hasChildren === s.hasChildren &&
    r.expanded === s.expanded &&
    r.parentKey === s.parentKey &&
    r.match === s.match &&
    a.index === b.index &&
    a.top === b.top &&
    a.selected === b.selected &&
    a.focused === b.focused &&
    a.stale === b.stale &&
    a.serverType === b.serverType &&
    a.duplicate === b.duplicate
  );
});

function TreeItemRow({ row, index, top, selected, focused, stale, serverType, duplicate, onClick, onContextMenu }: TreeItemProps) {
  const { t, i18n } = useTranslation();
  const server = row.server;
  const node = row.node;
  const offline = server ? server.state !== 'connected' : false;
  const name = server ? server.name : node!.name;
  const descriptor = useDescriptor(serverType);
  const label = node ? treeLabel(node, descriptor) : name;
  const lastState = node?.state;
  const shownState: PowerState | undefined = lastState && stale ? 'unknown' : lastState;
  const stateText = shownState ? t(`powerState.${shownState}`) : null;
  const title = stale && lastState ? t('tree.staleTitle', { name: label, state: t(`powerState.${lastState}`) }) : stateText ? `${label} — ${stateText}` : label;
  return (
    <div
      id={`tree-row-${index}`}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-selected={selected}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-label={name}
      aria-description={stateText ?? undefined}
      title={server ? undefined : title}
      data-testid="tree-row"
      data-key={row.key}
      data-kind={server ? 'server' : node!.kind}
      data-state={server ? server.state : (shownState ?? '')}
      data-stale={stale || undefined}
      data-maintenance={node?.maintenance || undefined}
      className={`tree-row${selected ? ' selected' : ''}${focused ? ' focused' : ''}${offline || stale ? ' offline' : ''}${row.match ? ' match' : ''}`}
      style={{ top, height: ROW_HEIGHT, paddingLeft: 4 + row.depth * 16 }}
      onClick={(e) => onClick(e, row, index)}
      onDoubleClick={() => {
        if (!(server && runCommand('connect', { keys: [row.key] })) && row.hasChildren) storeActions.toggleCollapsed(row.key);
      }}
      onContextMenu={(e) => onContextMenu(e, row)}
    >
      <Twisty row={row} />
      {server ? <ServerIcon state={server.state} mark={descriptor?.mark} /> : <NodeIcon kind={node!.kind} state={shownState} />}
      <span className="tree-name" data-testid="tree-label">
        {label}
      </span>
      {node?.kind === 'storage' && node.storage ? <FreeSpaceBar info={node.storage} compact /> : null}
      {node && !stale ? <TreeUsage node={node} /> : null}
      {node?.maintenance ? (
        <span className="maintenance-badge" data-testid="tree-maintenance">
          {t('migration.inMaintenance')}
        </span>
      ) : null}
      {shownState && SAID_STATES.has(shownState) ? (
        <span className="tree-node-state" data-testid="tree-node-state">
          {stale ? t('tree.staleState') : stateText}
        </span>
      ) : null}
      {duplicate ? (
        <span className="tree-duplicate" data-testid="server-duplicate" title={duplicate.why === 'pool' ? t('tree.duplicate.pool', { other: duplicate.other }) : t('tree.duplicate.address', { other: duplicate.other })}>
          <Glyph name="info" />
        </span>
      ) : null}
      {server && server.state !== 'connected' ? (
        <span className="tree-server-state" data-testid="server-state">
          {t(`connection.${server.state}`)}
          {/* a last known tree says its age where the row has room; the error is then in the tooltip (and the tasks panel) */}
          {server.lastKnownAt !== undefined ? (
            <span className="tree-last-known" data-testid="server-last-known" title={lastKnownTitle(t, server, i18n.language)}>
              {` · ${t('tree.lastKnown', { age: lastKnownAge(server.lastKnownAt, Date.now(), i18n.language) })}`}
            </span>
          ) : server.error ? (
            <span className="tree-error" title={server.error.message}>{` — ${t(`errorCode.${server.error.code}`)}`}</span>
          ) : null}
        </span>
      ) : null}
      {server && (server.state === 'error' || server.state === 'disconnected') ? (
        <button
          type="button"
          className="tree-retry"
          data-testid="server-retry"
          title={t('tree.retryTitle')}
          onClick={(e) => {
            e.stopPropagation();
            runCommand('connect', { keys: [serverKey(server.id)] });
          }}
        >
          {t('tree.retry')}
        </button>
      ) : null}
    </div>
  );
}
