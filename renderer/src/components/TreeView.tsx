// The navigation tree: the chosen view (Infrastructure: servers → pools → hosts → VMs, or a grouped view), virtualized for large inventories.
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTreeUsageWatch } from '../overview/TreeUsage';
import { useTranslation } from 'react-i18next';
import { useStore, storeActions } from '../store/store';
import { runCommand } from '../commands/runner';
import { descriptorOf } from '../providers/descriptors';
import { keysBetween, rowAt, rowIndexOf, type TreeRow } from '../tree/flatten';
import { duplicateServers } from '../tree/duplicates';
import { GroupItem } from '../views/GroupItem';
import { SearchBox } from '../views/SearchBox';
import { ViewSwitcher } from '../views/ViewSwitcher';
import { cachedMarks, rowsFor } from '../views/filter-marks';
import { searchSubjects } from '../views/subjects';
import { layoutDueIn, viewOrder } from '../views/view-order';
import { useViewStore } from '../views/view-store';
import '../views/views.css';
import { DropHintOverlay } from '../migration/DropHintOverlay';
import { useMigrationDrag } from '../migration/use-migration-drag';
import { findByPrefix, TypeAhead } from '../tree/type-ahead';
import { ROW_HEIGHT, TreeItem } from './TreeItem';

export function TreeView() {
  const { t } = useTranslation();
  const servers = useStore((s) => s.servers);
  const index = useStore((s) => s.index);
  const collapsed = useStore((s) => s.collapsed);
  const filter = useStore((s) => s.filter);
  const showTemplates = useStore((s) => s.settings?.showTemplates ?? false);
  const selection = useStore((s) => s.selection);
  const focusKey = useStore((s) => s.focusKey);

  const view = useViewStore((s) => s.view);
  const savedSearches = useViewStore((s) => s.savedSearches);
  const ownLabels = useViewStore((s) => s.ownLabels);
  // laid out again only when the view's shape or the server list changes, not with states or the search
  const order = viewOrder(view, servers, index, savedSearches, ownLabels);
  // a layout held back under a stream of changes is due later: ask again then
  const [, relayout] = useReducer((n: number) => n + 1, 0);
  const dueIn = layoutDueIn();
  useEffect(() => {
    if (dueIn === null) return;
    const timer = setTimeout(relayout, dueIn);
    return () => clearTimeout(timer);
  }, [dueIn, order]);
  const groups = 'groups' in order ? order.groups : null;
  // the search's subjects are built only while something is searched
  const marks = filter.trim() ? cachedMarks(order, filter, searchSubjects(servers, index, ownLabels), showTemplates) : null;
  const rows = useMemo(() => rowsFor(order, collapsed, marks, showTemplates), [order, collapsed, marks, showTemplates]);
  const serverById = useMemo(() => new Map(servers.map((v) => [v.id, v])), [servers]);
  const rowContext = { index, servers: serverById, collapsed, showTemplates };
  const count = rows.positions.length;
  const row = (i: number) => rowAt(order, rows, i, rowContext);
  const selected = useMemo(() => new Set(selection), [selection]);
  // dragging VMs onto a host migrates them: the rows' drag events bubble to the scroll area
  const drag = useMigrationDrag(t, selected);
  const info = useStore((s) => s.info);
  // pools come and go only when the index is rebuilt (a patch moves guests, never pools),
  // and a rebuild makes a new hostsOfPool: not recounted when guests move or change state
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const duplicates = useMemo(() => duplicateServers(servers, index, (type) => descriptorOf({ info }, type)), [servers, index.hostsOfPool, info]);
  const typeAhead = useRef(new TypeAhead());

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  useTreeUsageWatch(virtualizer.getVirtualItems().map((item) => row(item.index).node?.id));

  const focusIndex = focusKey ? rowIndexOf(rows, order.positionOf.get(focusKey)) : -1;
  const anchorKey = useStore((s) => s.anchorKey);
  const selectRange = (toIndex: number) => {
    const anchorIndex = anchorKey ? rowIndexOf(rows, order.positionOf.get(anchorKey)) : -1;
    const target = row(toIndex).key;
    if (anchorIndex < 0) storeActions.select(target, 'single');
    else storeActions.selectRange(keysBetween(order, rows, anchorIndex, toIndex), target);
  };

  useEffect(() => {
    if (focusIndex >= 0) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
  }, [focusIndex, virtualizer]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (count === 0) return;
    const current = focusIndex >= 0 ? focusIndex : 0;
    const r = row(current);
    const go = (i: number) => {
      const target = Math.max(0, Math.min(count - 1, i));
      if (e.shiftKey) selectRange(target);
      else storeActions.select(row(target).key, 'single');
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
        go(count - 1);
        break;
      case 'PageDown':
        go(current + 20);
        break;
      case 'PageUp':
        go(current - 20);
        break;
      case 'ArrowRight':
        if (r.hasChildren && !r.expanded) storeActions.toggleCollapsed(r.key, false);
        else if (r.hasChildren) go(current + 1);
        break;
      case 'ArrowLeft':
        if (r.hasChildren && r.expanded && !filter) storeActions.toggleCollapsed(r.key, true);
        else if (r.parentKey) storeActions.select(r.parentKey, 'single');
        break;
      case 'Enter':
        if (!(r.server && runCommand('connect', { keys: [r.key] })) && r.hasChildren && !filter) storeActions.toggleCollapsed(r.key);
        break;
      case '*':
      case '-':
        if (typeAhead.current.typing()) findTyped(e.key, current);
        else runCommand(e.key === '*' ? 'expand-all' : 'collapse-all');
        break;
      case 'ContextMenu':
        openMenuAtRow(current);
        break;
      case 'F10':
        if (!e.shiftKey) return;
        openMenuAtRow(current);
        break;
      default:
        if (e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey || e.key === ' ') return;
        findTyped(e.key, current);
    }
    e.preventDefault();
  };

  const openMenuAtRow = (i: number) => {
    const box = scrollRef.current?.getBoundingClientRect();
    storeActions.openContextMenu((box?.left ?? 0) + 24, (box?.top ?? 0) + (i + 1) * ROW_HEIGHT - (scrollRef.current?.scrollTop ?? 0));
  };

  const findTyped = (letter: string, current: number) => {
    const found = findByPrefix(order, rows, typeAhead.current.type(letter), focusIndex < 0 ? -1 : current);
    if (found >= 0) storeActions.select(row(found).key, 'single');
  };

  const onRowClick = (e: React.MouseEvent, clicked: TreeRow, i: number) => {
    if (e.shiftKey) selectRange(i);
    else if (e.ctrlKey || e.metaKey) storeActions.select(clicked.key, 'toggle');
    else storeActions.select(clicked.key, 'single');
    scrollRef.current?.focus();
  };

  const onContextMenu = (e: React.MouseEvent, row: TreeRow) => {
    e.preventDefault();
    if (!selected.has(row.key)) storeActions.select(row.key, 'single');
    storeActions.openContextMenu(e.clientX, e.clientY);
  };
  const onLeaveSearch = () => {
    scrollRef.current?.focus();
    if (count) storeActions.select(row(0).key, 'single');
  };
  // the search box and the rows get handlers that stay the same across renders (a row not changed by a batch is not drawn again) and call this render's
  const latest = useRef({ onRowClick, onContextMenu, onLeaveSearch });
  latest.current = { onRowClick, onContextMenu, onLeaveSearch };
  const stableClick = useCallback((e: React.MouseEvent, clicked: TreeRow, i: number) => latest.current.onRowClick(e, clicked, i), []);
  const stableContextMenu = useCallback((e: React.MouseEvent, clicked: TreeRow) => latest.current.onContextMenu(e, clicked), []);
  const leaveSearch = useCallback(() => latest.current.onLeaveSearch(), []);
  const switcher = useMemo(() => <ViewSwitcher />, []);

  return (
    <div className="tree-pane">
      <SearchBox before={switcher} onLeave={leaveSearch} />
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
        data-dragging={drag.dragging || undefined}
        draggable
        onPointerDown={drag.onPointerDown}
        onDragStart={drag.onDragStart}
        onDragOver={drag.onDragOver}
        onDrop={drag.onDrop}
        onDragEnd={drag.onDragEnd}
      >
        {count === 0 ? (
          <div className="tree-empty" data-testid="tree-empty">
            {filter ? t('tree.noMatches') : view === 'infrastructure' ? t('tree.empty') : t(`views.empty.${view}`)}
          </div>
        ) : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          <DropHintOverlay hint={drag.hint} height={ROW_HEIGHT} />
          {virtualizer.getVirtualItems().map((item) => {
            const r = row(item.index);
            const group = groups?.get(r.key);
            if (group) return <GroupItem key={r.key} row={r} group={group} index={item.index} top={item.start} selected={selected.has(r.key)} focused={item.index === focusIndex} onClick={onRowClick} onContextMenu={onContextMenu} />;
            // removed since the (held-back) layout was made: its row stays empty until the next one
            if (!r.server && !r.node) return null;
            return (
              <TreeItem
                // an object under two tags or searches has a row under each
                key={`${r.key}@${rows.positions[item.index]}`}
                row={r}
                index={item.index}
                top={item.start}
                selected={selected.has(r.key)}
                focused={item.index === focusIndex}
                stale={r.node !== null && serverById.get(r.serverId)?.state !== 'connected'}
                serverType={serverById.get(r.serverId)?.type}
                duplicate={r.server ? duplicates.get(r.serverId) : undefined}
                onClick={stableClick}
                onContextMenu={stableContextMenu}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
