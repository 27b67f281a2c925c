// The tree's search box: the search language with completion (field names, then the
// values the inventory has) and the position of a malformed query's problem.
import { memo, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { completeQuery, type Completion, type KnownValues } from '../../../shared/search';
import { TREE_SEARCH_ID } from '../commands/find';
import { runCommand } from '../commands/runner';
import { Glyph } from '../components/Icons';
import { storeActions, useStore } from '../store/store';
import { compileFilter } from './filter-marks';
import { knownValues } from './known-values';
import { useViewStore } from './view-store';

export interface SearchBoxProps {
  /** ArrowDown: the tree takes the focus */
  onLeave: () => void;
  /** drawn before the box on its row (the view switcher) */
  before?: ReactNode;
}

/** Memoized: the tree renders once per batch of changes, the box only when its own props or state change. */
export const SearchBox = memo(function SearchBox({ onLeave, before }: SearchBoxProps) {
  const { t } = useTranslation();
  const filter = useStore((s) => s.filter);
  const input = useRef<HTMLInputElement>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const error = compileFilter(filter).error;
  // completed when the text or the cursor moves, from the inventory as it is then: a
  // stream of changes does not gather the values again (nor render the box) per batch
  const completions: Completion[] = useMemo(() => (cursor === null || !filter ? [] : completeQuery(filter, cursor, currentKnownValues, 8)), [filter, cursor]);

  const apply = (c: Completion) => {
    storeActions.setFilter(c.text);
    setCursor(c.cursor);
    requestAnimationFrame(() => input.current?.setSelectionRange(c.cursor, c.cursor));
  };

  return (
    <div className="tree-search-box">
      <div className="tree-search">
        {before}
        <Glyph name="search" />
        <input
          ref={input}
          type="search"
          id={TREE_SEARCH_ID}
          data-testid="tree-search"
          placeholder={t('tree.searchPlaceholder')}
          aria-label={t('tree.searchLabel')}
          aria-invalid={error ? true : undefined}
          aria-autocomplete="list"
          value={filter}
          onChange={(e) => {
            storeActions.setFilter(e.target.value);
            setCursor(e.target.selectionStart);
          }}
          onBlur={() => setCursor(null)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              if (completions.length) setCursor(null);
              else storeActions.setFilter('');
            }
            if (e.key === 'Tab' && completions.length && !e.shiftKey) {
              apply(completions[0]!);
              e.preventDefault();
            }
            if (e.key === 'ArrowDown') {
              onLeave();
              e.preventDefault();
            }
          }}
        />
        {filter.trim() && !error ? (
          <button type="button" className="search-save" data-testid="save-search" title={t('views.command.saveSearch')} onClick={() => runCommand('save-search')}>
            {t('views.saveButton')}
          </button>
        ) : null}
      </div>
      {completions.length ? (
        <ul className="search-completions" role="listbox" data-testid="search-completions" aria-label={t('views.completions')}>
          {completions.map((c) => (
            <li key={c.text} role="option" aria-selected={false} onMouseDown={(e) => e.preventDefault()} onClick={() => apply(c)}>
              {c.label}
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <div className="search-error" role="status" data-testid="search-error">
          {t(`views.searchError.${error.code}`, { position: error.position + 1, token: error.token ?? '' })}
        </div>
      ) : null}
    </div>
  );
});

let known: { servers: unknown; structure: number; nodes: unknown; own: unknown; values: KnownValues } | null = null;

/** The values the inventory has now, gathered again only after its shape, the servers or the labels changed. */
function currentKnownValues(): KnownValues {
  const { servers, index } = useStore.getState();
  const own = useViewStore.getState().ownLabels;
  if (known?.servers !== servers || known.structure !== index.structure || known.nodes !== index.nodes || known.own !== own) {
    known = { servers, structure: index.structure, nodes: index.nodes, own, values: knownValues(servers, index, own) };
  }
  return known.values;
}
