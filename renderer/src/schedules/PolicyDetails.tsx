// The selected policy below the list: who runs it and what that means when Polyvisor is
// closed (with the runner's note), its last result, and every member by name.
import { useTranslation } from 'react-i18next';
import type { SnapshotPolicy } from '../../../shared/schedules';
import { useStore } from '../store/store';
import { memberName, runnerLabel } from './policy-view';

export function PolicyDetails({ policy }: { policy: SnapshotPolicy }) {
  const { t } = useTranslation();
  const servers = useStore((s) => s.servers);
  const index = useStore((s) => s.index);
  return (
    <section className="policy-details" data-testid="policy-details" data-id={policy.id}>
      <dl className="prop-grid">
        <dt>{t('schedules.col.runner')}</dt>
        <dd data-prop="runner">
          {runnerLabel(policy, servers, t)}
          <div className="hint">{policy.runner.kind === 'server' ? t('schedules.runsOnServerHint') : t('schedules.runsHereHint')}</div>
          {policy.note ? (
            <div className="hint" data-testid="policy-note">
              {policy.note}
            </div>
          ) : null}
        </dd>
        {policy.lastRun?.message && policy.lastRun.outcome !== 'success' ? (
          <>
            <dt>{t('schedules.lastMessage')}</dt>
            <dd data-prop="lastMessage">{policy.lastRun.message}</dd>
          </>
        ) : null}
        <dt>{t('schedules.col.members')}</dt>
        <dd data-prop="members">
          <ul className="policy-members">
            {policy.members.map((id) => (
              <li key={id} data-testid="policy-detail-member">
                {memberName(id, index, t)}
                <span className="hint">{` · ${servers.find((s) => s.id === (index.nodes.get(id)?.serverId ?? id.slice(0, id.indexOf(':'))))?.name ?? ''}`}</span>
              </li>
            ))}
          </ul>
        </dd>
      </dl>
    </section>
  );
}
