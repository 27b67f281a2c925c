// The Overview tab of a server, pool, cluster or host (XenCenter's search results,
// Proxmox's resource grid, vSphere's VMs tab): every VM, container and host beneath it
// as sortable, filterable columns with live CPU and memory bars, virtualized rows,
// multi-select driving the same commands as the tree, remembered columns, CSV export.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { contextMenuFor } from '../commands/layouts';
import { buildContext } from '../commands/context';
import { CommandBar } from '../components/CommandBar';
import { downloadBlob } from '../console/download';
import { storeActions, useStore } from '../store/store';
import { ColumnsMenu } from './ColumnsMenu';
import { GridCells } from './GridCells';
import { GridHeader } from './GridHeader';
import { nextSort, toCsv, type ColumnFilters } from './grid-model';
import { useGridPrefs } from './grid-prefs';
import { useGridRows } from './use-grid-rows';
import { watchUsage } from './usage-store';
import { GRID_COMMANDS, ROW_HEIGHT, HEAD_HEIGHT, csvFileName, rangeBetween } from './grid-ui';
import './overview.css';

export function OverviewTab({ rootKey, rootName }: { rootKey: string; rootName: string }) {
  const { t, i18n } = useTranslation();
  const [prefs, updatePrefs] = useGridPrefs();
  const [query, setQuery] = useState('');
  const [columnFilters, setColumnFilters] = useState<ColumnFilters>({});
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<string | null>(null);
  const [focus, setFocus] = useState<string | null>(null);
  const { ctx, columns, all, shown } = useGridRows(rootKey, prefs.columns, prefs.sort, query, columnFilters);
  const scrollRef = useRef<HTMLDivElement>(null);
  const template = columns.map((c) => `${c.width}px`).join(' ');
  const width = columns.reduce((w, c) => w + c.width, 0);

  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: HEAD_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();

  // selected rows the filter hides are no command's targets
  const shownIds = useMemo(() => (selected.size > 0 ? new Set(shown.map((r) => r.node.id)) : new Set<string>()), [shown, selected]);
  const targets = useMemo(() => [...selected].filter((id) => shownIds.has(id)), [selected, shownIds]);
  const scope = useMemo(() => ({ keys: targets }), [targets]);

  // the rows on screen are the ones the core samples
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;
  useEffect(() => {
    watchUsage(`grid:${rootKey}`, shown.slice(first, last + 1).map((r) => r.node.id));
  }, [rootKey, shown, first, last]);
  useEffect(() => () => watchUsage(`grid:${rootKey}`, []), [rootKey]);

  const click = (e: React.MouseEvent, id: string) => {
    if (e.shiftKey && anchor) {
      setSelected(new Set(rangeBetween(shown, anchor, id)));
    } else if (e.ctrlKey || e.metaKey) {
      const next = new Set(selected);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      setSelected(next);
      setAnchor(id);
    } else {
      setSelected(new Set([id]));
      setAnchor(id);
    }
    setFocus(id);
  };

  const openMenu = (x: number, y: number, keys: readonly string[]) => {
    const menuCtx = buildContext(useStore.getState(), t, i18n.language, { keys });
    storeActions.openContextMenu(x, y, { items: contextMenuFor(menuCtx), scope: { keys } });
  };

  const onContextMenu = (e: React.MouseEvent, id: string) => {
    e.preventDefault();
    const keys = selected.has(id) && shownIds.has(id) ? targets : [id];
    if (!selected.has(id)) {
      setSelected(new Set([id]));
      setAnchor(id);
    }
    setFocus(id);
    openMenu(e.clientX, e.clientY, keys);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const at = focus ? shown.findIndex((r) => r.node.id === focus) : -1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const to = Math.min(shown.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)));
      const id = shown[to]?.node.id;
      if (!id) return;
      e.preventDefault();
      if (e.shiftKey && anchor) setSelected(new Set(rangeBetween(shown, anchor, id)));
      else {
        setSelected(new Set([id]));
        setAnchor(id);
      }
      setFocus(id);
      virtualizer.scrollToIndex(to);
    } else if (e.key === 'a' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      setSelected(new Set(shown.map((r) => r.node.id)));
    } else if ((e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) && targets.length > 0) {
      e.preventDefault();
      const box = scrollRef.current?.getBoundingClientRect();
      openMenu((box?.left ?? 0) + 40, (box?.top ?? 0) + HEAD_HEIGHT + Math.max(0, at) * ROW_HEIGHT - (scrollRef.current?.scrollTop ?? 0), targets);
    }
  };

  const exportCsv = () => {
    const csv = toCsv(shown, columns, ctx);
    downloadBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), csvFileName(rootName));
  };

  return (
    <div className="overview" data-testid="overview">
      <div className="overview-bar">
        <input
          type="search"
          className="overview-filter"
          placeholder={t('overview.filter')}
          aria-label={t('overview.filter')}
          value={query}
          data-testid="overview-filter"
          onChange={(e) => setQuery(e.target.value)}
        />
        <span className="overview-count" data-testid="overview-count" data-shown={shown.length} data-total={all.length}>
          {t('overview.count', { shown: shown.length.toLocaleString(i18n.language), total: all.length.toLocaleString(i18n.language) })}
          {targets.length > 0 ? ` · ${t('overview.selected', { count: targets.length })}` : ''}
        </span>
        <ColumnsMenu columns={prefs.columns} onChange={(columnsNext) => updatePrefs((p) => ({ ...p, columns: columnsNext }))} />
        <button type="button" className="btn" data-testid="overview-csv" disabled={shown.length === 0} onClick={exportCsv}>
          {t('overview.exportCsv')}
        </button>
        <span className="toolbar-sep" />
        <CommandBar layout={GRID_COMMANDS} testIdPrefix="overview-cmd-" buttonClassName="btn" scope={scope} />
      </div>
      <div
        ref={scrollRef}
        className="overview-scroll"
        role="grid"
        aria-multiselectable="true"
        aria-rowcount={shown.length + 1}
        aria-label={t('overview.label', { name: rootName })}
        tabIndex={0}
        data-testid="overview-grid"
        onKeyDown={onKeyDown}
      >
        <GridHeader
          columns={columns}
          template={template}
          width={width}
          sort={prefs.sort}
          filters={columnFilters}
          onSort={(id, additive) => updatePrefs((p) => ({ ...p, sort: nextSort(p.sort, id, additive) }))}
          onFilter={(id, value) => setColumnFilters((f) => ({ ...f, [id]: value }))}
        />
        <div className="overview-body" style={{ height: virtualizer.getTotalSize(), width }}>
          {items.map((item) => {
            const row = shown[item.index]!;
            const id = row.node.id;
            return (
              <div
                key={id}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={selected.has(id)}
                className={`overview-row${selected.has(id) ? ' selected' : ''}${focus === id ? ' focused' : ''}`}
                style={{ transform: `translateY(${item.start - HEAD_HEIGHT}px)`, gridTemplateColumns: template, height: ROW_HEIGHT }}
                data-testid="overview-row"
                data-id={id}
                onMouseDown={(e) => {
                  if (e.button === 0) click(e, id);
                }}
                onDoubleClick={() => storeActions.reveal(id)}
                onContextMenu={(e) => onContextMenu(e, id)}
              >
                <GridCells row={row} columns={columns} ctx={ctx} />
              </div>
            );
          })}
        </div>
        {shown.length === 0 ? (
          <p className="overview-empty" data-testid="overview-empty">
            {all.length === 0 ? t('overview.none') : t('overview.noMatch')}
          </p>
        ) : null}
      </div>
    </div>
  );
}
