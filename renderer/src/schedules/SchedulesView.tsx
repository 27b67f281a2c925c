// Scheduled snapshots: every policy (the servers' own and Polyvisor's) with its schedule,
// runs and members; the commands on the selected one; the OS timer for Polyvisor's own.
// Opened from a pool, server or VM, it shows the policies for those first (or only them).
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SCHEDULES_VIEW } from '../commands/layouts';
import { CommandBar } from '../components/CommandBar';
import { Glyph } from '../components/Icons';
import { useStore } from '../store/store';
import { isServerKey, serverIdOfKey } from '../tree/inventory-index';
import { PolicyDetails } from './PolicyDetails';
import { loadPolicies } from './policy-requests';
import { policyActions } from './policy-state';
import { policyConcerns } from './policy-view';
import { PolicyTable } from './PolicyTable';
import { RunnerPanel } from './RunnerPanel';
import './schedules.css';

export function SchedulesView() {
  const view = useStore((s) => s.schedulesView);
  return view ? <OpenView focus={view.focus} /> : null;
}

function OpenView({ focus }: { focus: string[] }) {
  const { t } = useTranslation();
  const titleId = useId();
  const policies = useStore((s) => s.policies);
  const index = useStore((s) => s.index);
  const servers = useStore((s) => s.servers);
  const selectedId = useStore((s) => s.selectedPolicyId);
  const dialogOpen = useStore((s) => s.dialog !== null);
  const [onlyFocus, setOnlyFocus] = useState(true);

  useEffect(() => {
    void loadPolicies();
  }, []);

  // what the view was opened for, as long as it is still there (a VM deleted meanwhile drops out)
  const named = focus.flatMap((key) => {
    const name = isServerKey(key) ? servers.find((s) => s.id === serverIdOfKey(key))?.name : index.nodes.get(key)?.name;
    return name === undefined ? [] : [{ key, name }];
  });
  const shown = useMemo(() => {
    if (named.length === 0) return policies;
    const keys = new Set(named.map((n) => n.key));
    const concerned = policies.filter((p) => policyConcerns(p, keys, index));
    return onlyFocus ? concerned : [...concerned, ...policies.filter((p) => !concerned.includes(p))];
    // `named` follows focus, servers and index
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [policies, focus, servers, index, onlyFocus]);
  const selected = policies.find((p) => p.id === selectedId);

  return (
    <div className="dialog-backdrop schedules-backdrop">
      <section
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="schedules-view"
        data-testid="schedules-view"
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !dialogOpen) {
            e.stopPropagation();
            policyActions.closeSchedules();
          }
        }}
      >
        <header className="schedules-header">
          <Glyph name="schedule" />
          <h2 id={titleId}>{t('schedules.title')}</h2>
          <span className="toolbar-fill" />
          <button type="button" className="icon-button" data-testid="schedules-close" aria-label={t('common.close')} onClick={policyActions.closeSchedules}>
            <Glyph name="close" />
          </button>
        </header>
        <p className="hint schedules-intro">{t('schedules.intro')}</p>
        {named.length ? (
          <label className="checkbox schedules-focus">
            <input type="checkbox" data-testid="schedules-only-focus" checked={onlyFocus} onChange={(e) => setOnlyFocus(e.target.checked)} />
            {t('schedules.onlyFor', { names: named.map((n) => n.name).join(', ') })}
          </label>
        ) : null}
        <div className="subtoolbar" role="toolbar" aria-label={t('schedules.toolbarLabel')}>
          <CommandBar layout={SCHEDULES_VIEW} testIdPrefix="policy-" />
        </div>
        <div className="schedules-body">
          <PolicyTable policies={shown} selectedId={selectedId} />
          {selected ? <PolicyDetails policy={selected} /> : <p className="details-hint">{shown.length ? t('schedules.selectForDetails') : null}</p>}
        </div>
        <RunnerPanel />
      </section>
    </div>
  );
}
