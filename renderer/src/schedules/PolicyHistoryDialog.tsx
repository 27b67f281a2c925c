// A policy's runs, newest first: when and why it ran, its result, and for each VM the
// snapshot it took, the snapshots retention deleted, and any error with the server's code.
// Runs that start or finish while it is open appear as they happen.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import type { PolicyRun } from '../../../shared/schedules';
import { ErrorDetails } from '../components/ErrorDetails';
import { formatDateTime } from '../components/format';
import { InfoDialog } from '../dialogs/InfoDialog';
import { useStore } from '../store/store';
import type { InventoryIndex } from '../tree/inventory-index';
import { onPolicyRun, policyHistory } from './policy-requests';
import './schedules.css';

/** A snapshot by name while the inventory has it; one retention deleted since says so (its id in the tooltip). */
function SnapshotCell({ id, index }: { id: string; index: InventoryIndex }) {
  const { t } = useTranslation();
  const name = index.nodes.get(id)?.name;
  return name ? <>{name}</> : <span className="hint" title={id}>{t('policyHistory.deletedSince')}</span>;
}

function merge(runs: PolicyRun[], run: PolicyRun): PolicyRun[] {
  const others = runs.filter((r) => r.id !== run.id);
  return [...others, run].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export function PolicyHistoryDialog({ policyId }: { policyId: string }) {
  const { t, i18n } = useTranslation();
  const policy = useStore((s) => s.policies.find((p) => p.id === policyId));
  const index = useStore((s) => s.index);
  const [runs, setRuns] = useState<PolicyRun[] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  useEffect(() => {
    const stop = onPolicyRun((run) => {
      if (run.policyId === policyId) setRuns((list) => merge(list ?? [], run));
    });
    policyHistory(policyId)
      .then((list) => setRuns((live) => (live ?? []).reduce(merge, [...list].sort((a, b) => b.startedAt.localeCompare(a.startedAt)))))
      .catch((e: ErrorInfo) => setError(e));
    return stop;
  }, [policyId]);

  return (
    <InfoDialog title={t('policyHistory.title', { name: policy?.name ?? runs?.[0]?.policyName ?? '' })} testId="policy-history-dialog" wide>
      <div className="policy-history" data-testid="policy-history">
        {error ? <ErrorDetails error={error} /> : null}
        {runs === null && !error ? <p className="details-hint">{t('policyHistory.loading')}</p> : null}
        {runs?.length === 0 ? <p className="details-hint" data-testid="policy-history-empty">{t('policyHistory.none')}</p> : null}
        {(runs ?? []).map((run) => (
          <section key={run.id} className="policy-run" data-testid="policy-run" data-outcome={run.outcome} data-trigger={run.trigger}>
            <header className="policy-run-header">
              <span className={`status-chip ${run.outcome}`}>{t(`schedules.outcome.${run.outcome}`)}</span>
              <strong>{formatDateTime(run.startedAt, i18n.language)}</strong>
              <span className="hint">{t(`policyHistory.trigger.${run.trigger}`)}</span>
            </header>
            <table className="tasks-table policy-run-table">
              <thead>
                <tr>
                  <th>{t('policyHistory.col.member')}</th>
                  <th>{t('policyHistory.col.created')}</th>
                  <th>{t('policyHistory.col.pruned')}</th>
                  <th>{t('policyHistory.col.error')}</th>
                </tr>
              </thead>
              <tbody>
                {run.items.map((item) => (
                  <tr key={item.nodeId} data-testid="policy-run-item" data-member={item.name} data-error-code={item.error ? (item.error.serverCode ?? item.error.code) : undefined}>
                    <td>{item.name}</td>
                    <td data-col="created">{item.created ? <SnapshotCell id={item.created} index={index} /> : '—'}</td>
                    <td data-col="pruned" title={item.pruned.join('\n')}>
                      {item.pruned.length ? t('policyHistory.pruned', { count: item.pruned.length }) : '—'}
                    </td>
                    <td data-col="error">{item.error ? <ErrorDetails error={item.error} compact /> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </InfoDialog>
  );
}
