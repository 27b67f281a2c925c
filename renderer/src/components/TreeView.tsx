// The Infrastructure tree: servers → pools → hosts → VMs, virtualized for large inventories.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { useStore, storeActions } from '../store/store';
import { connectServer } from '../store/commands';
import { flattenTree, type TreeRow } from '../tree/flatten';
import { NodeIcon, ServerIcon, Glyph } from './Icons';

const ROW_HEIGHT = 22;

export function TreeView() {
  const { t } = useTranslation();
  const servers = useStore((s) => s.servers);
  const index = useStore((s) => s.index);
  const collapsed = useStore((s) => s.collapsed);
  const filter = useStore((s) => s.filter);
  const showTemplates = useStore((s) => s.settings?.showTemplates ?? false);
  const selection = useStore((s) => s.selection);
  const focusKey = useStore((s) => s.focusKey);

  const rows = useMemo(
    () => flattenTree({ servers, index, collapsed, filter, showTemplates }),
    [servers, index, collapsed, filter, showTemplates],
  );
  const keys = useMemo(() => rows.map((r) => r.key), [rows]);
  const rowIndex = useMemo(() => new Map(keys.map((k, i) => [k, i])), [keys]);
  const selected = useMemo(() => new Set(selection), [selection]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  const focusIndex = focusKey ? (rowIndex.get(focusKey) ?? -1) : -1;

  useEffect(() => {
    if (focusIndex >= 0) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
  }, [focusIndex, virtualizer]);

  const onKeyDown = useCallback(
    (e: React.KeyboardEvent) => {
      if (rows.length === 0) return;
      const current = focusIndex >= 0 ? focusIndex : 0;
      const row = rows[current];
      const go = (i: number) => {
        const target = rows[Math.max(0, Math.min(rows.length - 1, i))];
        storeActions.select(target.key, e.shiftKey ? 'range' : 'single', keys);
      };
      switch (e.key) {
        case 'ArrowDown':
          go(focusIndex < 0 ? 0 : current + 1);
          break;
        case 'ArrowUp':
          go(current - 1);
          break;
        case 'Home':
          go(0);
          break;
        case 'End':
          go(rows.length - 1);
          break;
        case 'PageDown':
          go(current + 20);
          break;
        case 'PageUp':
          go(current - 20);
          break;
        case 'ArrowRight':
          if (row.hasChildren && !row.expanded) storeActions.toggleCollapsed(row.key, false);
          else if (row.hasChildren) go(current + 1);
          break;
        case 'ArrowLeft':
          if (row.hasChildren && row.expanded && !filter) storeActions.toggleCollapsed(row.key, true);
          else if (row.parentKey) storeActions.select(row.parentKey, 'single');
          break;
        case 'Enter':
          if (row.server && row.server.state !== 'connected' && row.server.state !== 'connecting') void connectServer(row.server.id);
          else if (row.hasChildren && !filter) storeActions.toggleCollapsed(row.key);
          break;
        case 'ContextMenu':
          storeActions.openContextMenu(8, 8 + (current - virtualizer.range!.startIndex) * ROW_HEIGHT);
          break;
        default:
          return;
      }
      e.preventDefault();
    },
    [rows, keys, focusIndex, filter, virtualizer],
  );

  const onRowClick = (e: React.MouseEvent, row: TreeRow) => {
    if (e.shiftKey) storeActions.select(row.key, 'range', keys);
    else if (e.ctrlKey || e.metaKey) storeActions.select(row.key, 'toggle');
    else storeActions.select(row.key, 'single');
    scrollRef.current?.focus();
  };

  const onContextMenu = (e: React.MouseEvent, row: TreeRow) => {
    e.preventDefault();
    if (!selected.has(row.key)) storeActions.select(row.key, 'single');
    storeActions.openContextMenu(e.clientX, e.clientY);
  };

  return (
    <div className="tree-pane">
      <div className="tree-search">
        <Glyph name="search" />
        <input
          type="search"
          data-testid="tree-search"
          placeholder={t('tree.searchPlaceholder')}
          aria-label={t('tree.searchLabel')}
          value={filter}
          onChange={(e) => storeActions.setFilter(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') storeActions.setFilter('');
            if (e.key === 'ArrowDown') {
              scrollRef.current?.focus();
              if (rows.length) storeActions.select(rows[0].key, 'single');
              e.preventDefault();
            }
          }}
        />
      </div>
      <div
        className="tree-scroll"
        ref={scrollRef}
        role="tree"
        aria-label={t('tree.label')}
        aria-multiselectable="true"
        tabIndex={0}
        data-testid="tree"
        aria-activedescendant={focusIndex >= 0 ? `tree-row-${focusIndex}` : undefined}
        onKeyDown={onKeyDown}
      >
        {rows.length === 0 ? (
          <div className="tree-empty" data-testid="tree-empty">
            {filter ? t('tree.noMatches') : t('tree.empty')}
          </div>
        ) : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            return (
              <TreeItem
                key={row.key}
                row={row}
                index={item.index}
                top={item.start}
                selected={selected.has(row.key)}
                focused={item.index === focusIndex}
                onClick={onRowClick}
                onContextMenu={onContextMenu}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

interface TreeItemProps {
  row: TreeRow;
  index: number;
  top: number;
  selected: boolean;
  focused: boolean;
  onClick: (e: React.MouseEvent, row: TreeRow) => void;
  onContextMenu: (e: React.MouseEvent, row: TreeRow) => void;
}

function TreeItem({ row, index, top, selected, focused, onClick, onContextMenu }: TreeItemProps) {
  const { t } = useTranslation();
  const server = row.server;
  const node = row.node;
  const offline = server ? server.state !== 'connected' : false;
  const name = server ? server.name : node!.name;
  return (
    <div
      id={`tree-row-${index}`}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-selected={selected}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-label={name}
      data-testid="tree-row"
      data-key={row.key}
      data-kind={server ? 'server' : node!.kind}
      data-state={server ? server.state : (node!.state ?? '')}
      className={`tree-row${selected ? ' selected' : ''}${focused ? ' focused' : ''}${offline ? ' offline' : ''}${row.match ? ' match' : ''}`}
      style={{ top, height: ROW_HEIGHT, paddingLeft: 4 + row.depth * 16 }}
      onClick={(e) => onClick(e, row)}
      onDoubleClick={() => {
        if (server && offline) void connectServer(server.id);
        else if (row.hasChildren) storeActions.toggleCollapsed(row.key);
      }}
      onContextMenu={(e) => onContextMenu(e, row)}
    >
      <span
        className={`twisty${row.hasChildren ? (row.expanded ? ' open' : ' closed') : ''}`}
        onClick={(e) => {
          if (!row.hasChildren) return;
          e.stopPropagation();
          storeActions.toggleCollapsed(row.key);
        }}
        aria-hidden="true"
      />
      {server ? <ServerIcon state={server.state} /> : <NodeIcon kind={node!.kind} state={node!.state} />}
      <span className="tree-name">{name}</span>
      {server && server.state !== 'connected' ? (
        <span className="tree-server-state" data-testid="server-state">
          {t(`connection.${server.state}`)}
          {server.error ? <span className="tree-error" title={server.error.message}>{` — ${t(`errorCode.${server.error.code}`)}`}</span> : null}
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
            void connectServer(server.id);
          }}
        >
          {t('tree.retry')}
        </button>
      ) : null}
    </div>
  );
}
