// Add to Pool… (XenCenter's Add Server to Pool): the connected pools a standalone host
// could join, each with the servers' reason why not (pools:joinPlan), before anything
// starts. The join is a task of the host's server; the host then belongs to the pool
// and its connection follows to the pool master.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PoolJoinPlan } from '../../../shared/migration';
import { ErrorDetails } from '../components/ErrorDetails';
import { FormDialog } from '../dialogs/FormDialog';
import { runAction } from '../store/requests';
import { storeActions, useStore } from '../store/store';
import type { Answer } from '../migration/migration-requests';
import { MigrationReason } from '../migration/MigrationReason';
import { fetchJoinPlan } from './pool-requests';
import '../migration/migration.css';

export function PoolJoinDialog({ hostId }: { hostId: string }) {
  const { t } = useTranslation();
  const host = useStore((s) => s.index.nodes.get(hostId));
  const index = useStore((s) => s.index);
  const servers = useStore((s) => s.servers);
  const [answer, setAnswer] = useState<Answer<PoolJoinPlan> | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void fetchJoinPlan(hostId).then((a) => {
      if (!live) return;
      setAnswer(a);
      const first = a.ok ? a.value.pools.find((p) => p.ok) : undefined;
      if (first) setChosen(first.poolId);
    });
    return () => {
      live = false;
    };
  }, [hostId]);
  if (!host) return null;
  const pools = answer?.ok ? answer.value.pools : [];
  const poolName = (id: string) => {
    const pool = index.nodes.get(id);
    const server = pool ? servers.find((s) => s.id === pool.serverId) : undefined;
    return pool ? (server && server.name !== pool.name ? `${pool.name} (${server.name})` : pool.name) : id;
  };
  const submit = () => {
    if (!chosen) return;
    storeActions.closeDialog();
    void runAction([hostId], 'pool_join', { targetId: chosen }, t('action.pool_join'));
  };
  return (
    <FormDialog
      title={t('pool.joinTitle', { name: host.name })}
      testId="pool-join-dialog"
      submitLabel={t('pool.joinOk')}
      submitTestId="pool-join-ok"
      onSubmit={submit}
      submitDisabled={!chosen}
    >
      <div className="form-grid">
        {answer === null ? (
          <p className="hint" data-testid="pool-join-loading">
            {t('pool.checking')}
          </p>
        ) : !answer.ok ? (
          <ErrorDetails error={answer.error} />
        ) : pools.length === 0 ? (
          <p data-testid="pool-join-none">{t('pool.noPools')}</p>
        ) : (
          <>
            <p>{t('pool.joinIntro', { name: host.name })}</p>
            <div className="migrate-targets" role="radiogroup" aria-label={t('pool.pools')}>
              {pools.map((choice) => (
                <div key={choice.poolId} className={`migrate-target${choice.ok ? '' : ' refused'}`} data-testid="pool-join-choice" data-pool={poolName(choice.poolId)} data-ok={choice.ok}>
                  <label className="radio">
                    <input type="radio" name="pool-join-target" checked={chosen === choice.poolId} disabled={!choice.ok} onChange={() => setChosen(choice.poolId)} />
                    <span className="migrate-host">{poolName(choice.poolId)}</span>
                  </label>
                  {choice.reason ? (
                    <div className="migrate-why">
                      <MigrationReason error={choice.reason} />
                    </div>
                  ) : null}
                </div>
              ))}
            </div>
            <p className="hint">{t('pool.joinNote')}</p>
          </>
        )}
      </div>
    </FormDialog>
  );
}
