// The right pane with several objects selected: how many of each kind and state, what the
// search hides (and that commands leave those out), and the actions common to the selection.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { contextMenuFor, type LayoutItem } from '../commands/layouts';
import { useCommandContext } from '../commands/use-commands';
import { storeActions, useStore } from '../store/store';
import { hiddenKeys, treeOrder } from '../tree/search-visibility';
import { CommandBar } from './CommandBar';
import { selectionCounts } from './selection-counts';

const LISTED = 30;

export function SelectionSummary() {
  const { t } = useTranslation();
  const ctx = useCommandContext();
  const selection = useStore((s) => s.selection);
  const focusKey = useStore((s) => s.focusKey);
  const servers = useStore((s) => s.servers);
  const index = useStore((s) => s.index);
  const filter = useStore((s) => s.filter);
  const showTemplates = useStore((s) => s.settings?.showTemplates ?? false);
  const hidden = useMemo(() => hiddenKeys(treeOrder(servers, index), selection, filter, showTemplates, servers, index), [servers, index, selection, filter, showTemplates]);
  const counts = selectionCounts(ctx.servers, ctx.nodes);
  const actions: LayoutItem[] = contextMenuFor(ctx)
    .filter((id) => id !== 'properties')
    .map((id) => (id === '|' ? '|' : { id }));
  const names = [...ctx.servers.map((s) => s.name), ...ctx.nodes.map((n) => n.name)];
  return (
    <section className="details-pane" data-testid="details" data-multi="true">
      <header className="details-header">
        <h2 data-testid="details-title">
          <span data-testid="details-multi">
            {hidden.size > 0 ? t('details.multiSelectedHidden', { count: selection.length, hidden: hidden.size }) : t('details.multiSelected', { count: selection.length })}
          </span>
        </h2>
      </header>
      <div className="selection-summary" data-testid="selection-summary">
        {hidden.size > 0 ? (
          <div className="selection-hidden" role="status" data-testid="selection-hidden">
            <span>{t('selection.hidden', { count: hidden.size })}</span>
            <button
              type="button"
              data-testid="selection-drop-hidden"
              onClick={() => {
                const kept = selection.filter((k) => !hidden.has(k));
                storeActions.selectRange(kept, focusKey && kept.includes(focusKey) ? focusKey : (kept[0] ?? ''));
              }}
            >
              {t('selection.dropHidden')}
            </button>
          </div>
        ) : null}
        <table className="selection-counts" data-testid="selection-counts">
          <tbody>
            {counts.map((c) => (
              <tr key={c.kind} data-kind={c.kind}>
                <th>{t(`kind.${c.kind}`)}</th>
                <td className="count">{c.count}</td>
                <td>{c.states.map((s) => t('selection.stateCount', { count: s.count, state: t(s.key) })).join(t('selection.separator'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {actions.length ? (
          <>
            <h3>{t('selection.actions')}</h3>
            <div className="selection-actions" data-testid="selection-actions">
              <CommandBar layout={actions} testIdPrefix="multi-" />
            </div>
          </>
        ) : null}
        <h3>{t('selection.objects')}</h3>
        <ul className="selection-names" data-testid="selection-names">
          {names.slice(0, LISTED).map((name, i) => (
            <li key={i}>{name}</li>
          ))}
          {names.length > LISTED ? <li className="more">{t('confirm.andMore', { count: names.length - LISTED })}</li> : null}
        </ul>
      </div>
    </section>
  );
}
