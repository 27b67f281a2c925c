// The grid's header (click: sort by the column; shift-click: a further sort key) and
// a row of per-column filters under it; both stay on top while the rows scroll.
import { useTranslation } from 'react-i18next';
import type { GridColumn, GridColumnId } from './grid-columns';
import type { ColumnFilters, SortBy } from './grid-model';

export function GridHeader(props: {
  columns: readonly GridColumn[];
  template: string;
  width: number;
  sort: readonly SortBy[];
  filters: ColumnFilters;
  onSort: (id: GridColumnId, additive: boolean) => void;
  onFilter: (id: GridColumnId, value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="overview-head" style={{ width: props.width }}>
      <div className="overview-head-row" role="row" aria-rowindex={1} style={{ gridTemplateColumns: props.template }}>
        {props.columns.map((c) => {
          const at = props.sort.findIndex((s) => s.id === c.id);
          const by = at >= 0 ? props.sort[at] : undefined;
          return (
            <button
              key={c.id}
              type="button"
              role="columnheader"
              aria-sort={at === 0 ? (by!.desc ? 'descending' : 'ascending') : 'none'}
              className={`overview-th${c.numeric ? ' numeric' : ''}`}
              title={t('overview.sortHint')}
              data-testid={`overview-th-${c.id}`}
              data-sort={by ? `${at + 1}${by.desc ? 'd' : 'a'}` : ''}
              onClick={(e) => props.onSort(c.id, e.shiftKey)}
            >
              {t(`overview.column.${c.id}`)}
              {by ? (
                <span className="overview-sort" aria-hidden="true">
                  {by.desc ? '▼' : '▲'}
                  {props.sort.length > 1 ? at + 1 : ''}
                </span>
              ) : null}
            </button>
          );
        })}
      </div>
      <div className="overview-filter-row" style={{ gridTemplateColumns: props.template }}>
        {props.columns.map((c) => (
          <input
            key={c.id}
            type="search"
            className="overview-column-filter"
            aria-label={t('overview.columnFilter', { column: t(`overview.column.${c.id}`) })}
            placeholder={c.numeric && (c.id === 'cpu' || c.id === 'vcpus') ? '>50' : ''}
            value={props.filters[c.id] ?? ''}
            data-testid={`overview-filter-${c.id}`}
            onChange={(e) => props.onFilter(c.id, e.target.value)}
          />
        ))}
      </div>
    </div>
  );
}
