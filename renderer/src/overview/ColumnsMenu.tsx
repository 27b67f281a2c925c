// The overview grid's column chooser: show or hide each column and move the shown ones.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GRID_COLUMN_IDS, type GridColumnId } from './grid-columns';
import { moveColumn, toggleColumn } from './grid-prefs';

export function ColumnsMenu(props: { columns: readonly GridColumnId[]; onChange: (columns: GridColumnId[]) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', close);
    };
  }, [open]);
  const ordered = [...props.columns, ...GRID_COLUMN_IDS.filter((id) => !props.columns.includes(id))];
  return (
    <div className="overview-columns" ref={ref}>
      <button type="button" className="btn" aria-expanded={open} data-testid="overview-columns" onClick={() => setOpen(!open)}>
        {t('overview.columns')}
      </button>
      {open ? (
        <div className="overview-columns-menu" role="menu" data-testid="overview-columns-menu">
          {ordered.map((id) => {
            const shown = props.columns.includes(id);
            return (
              <div key={id} className="overview-columns-item">
                <label>
                  <input
                    type="checkbox"
                    checked={shown}
                    disabled={id === 'name'}
                    data-testid={`overview-column-toggle-${id}`}
                    onChange={() => props.onChange(toggleColumn(props.columns, id))}
                  />
                  {t(`overview.column.${id}`)}
                </label>
                {shown ? (
                  <span className="overview-columns-move">
                    <button type="button" aria-label={t('overview.moveLeft')} title={t('overview.moveLeft')} data-testid={`overview-column-left-${id}`} onClick={() => props.onChange(moveColumn(props.columns, id, -1))}>
                      ‹
                    </button>
                    <button type="button" aria-label={t('overview.moveRight')} title={t('overview.moveRight')} data-testid={`overview-column-right-${id}`} onClick={() => props.onChange(moveColumn(props.columns, id, 1))}>
                      ›
                    </button>
                  </span>
                ) : null}
              </div>
            );
          })}
        </div>
      ) : null}
    </div>
  );
}
