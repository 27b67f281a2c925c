// The policy list: name, who runs it, type, schedule in words with its zone, next and
// last run with the last result, how many it keeps, enabled, and its members.
import { useTranslation } from 'react-i18next';
import type { SnapshotPolicy } from '../../../shared/schedules';
import { SCHEDULES_VIEW } from '../commands/layouts';
import { runCommand } from '../commands/runner';
import { formatDateTime } from '../components/format';
import { storeActions, useStore } from '../store/store';
import { describeSchedule } from './frequency';
import { policyActions } from './policy-state';
import { memberName, runnerLabel } from './policy-view';

const MEMBERS_SHOWN = 3;
const MENU = SCHEDULES_VIEW.flatMap((item) => (item === '>' ? [] : [item === '|' ? item : item.id]));

export function PolicyTable({ policies, selectedId }: { policies: SnapshotPolicy[]; selectedId: string | null }) {
  const { t, i18n } = useTranslation();
  const servers = useStore((s) => s.servers);
  const index = useStore((s) => s.index);
  if (policies.length === 0) {
    return (
      <p className="details-hint" data-testid="policies-empty">
        {t('schedules.none')}
      </p>
    );
  }
  const move = (step: number) => {
    const at = policies.findIndex((p) => p.id === selectedId);
    const next = policies[Math.max(0, Math.min(policies.length - 1, at + step))];
    if (next) policyActions.selectPolicy(next.id);
  };
  return (
    <div className="policy-table-scroll">
      <table
        className="tasks-table policy-table"
        data-testid="policy-table"
        tabIndex={0}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') move(1);
          else if (e.key === 'ArrowUp') move(-1);
          else if (e.key === 'Enter' && selectedId) runCommand('edit-policy');
          else if (e.key === 'Delete' && selectedId) runCommand('delete-policy');
          else return;
          e.preventDefault();
        }}
      >
        <thead>
          <tr>
            <th>{t('schedules.col.name')}</th>
            <th>{t('schedules.col.runner')}</th>
            <th>{t('schedules.col.type')}</th>
            <th>{t('schedules.col.schedule')}</th>
            <th>{t('schedules.col.next')}</th>
            <th>{t('schedules.col.last')}</th>
            <th>{t('schedules.col.keep')}</th>
            <th>{t('schedules.col.enabled')}</th>
            <th>{t('schedules.col.members')}</th>
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => {
            const names = p.members.map((id) => memberName(id, index, t));
            return (
              <tr
                key={p.id}
                data-testid="policy-row"
                data-id={p.id}
                data-name={p.name}
                data-runner={p.runner.kind}
                aria-selected={p.id === selectedId}
                className={`policy-row${p.id === selectedId ? ' selected' : ''}${p.enabled ? '' : ' disabled-policy'}`}
                onClick={() => policyActions.selectPolicy(p.id)}
                onDoubleClick={() => {
                  policyActions.selectPolicy(p.id);
                  runCommand('edit-policy');
                }}
                onContextMenu={(e) => {
                  e.preventDefault();
                  policyActions.selectPolicy(p.id);
                  storeActions.openContextMenu(e.clientX, e.clientY, { items: MENU, scope: { keys: [] } });
                }}
              >
                <td>
                  <div className="policy-name">{p.name}</div>
                  {p.description ? <div className="hint">{p.description}</div> : null}
                </td>
                <td data-col="runner" title={p.note}>
                  {runnerLabel(p, servers, t)}
                </td>
                <td data-col="type">{t(`schedules.type.${p.type}`)}</td>
                <td data-col="schedule">{describeSchedule(p.frequency, p.timeZone, t, i18n.language)}</td>
                <td data-col="next">{p.enabled ? formatDateTime(p.nextRun, i18n.language) || '—' : t('schedules.off')}</td>
                <td data-col="last" title={p.lastRun?.message}>
                  {p.lastRun ? (
                    <>
                      <span className={`status-chip ${p.lastRun.outcome}`} data-testid="policy-last-outcome" data-outcome={p.lastRun.outcome}>
                        {t(`schedules.outcome.${p.lastRun.outcome}`)}
                      </span>
                      {formatDateTime(p.lastRun.at, i18n.language)}
                    </>
                  ) : (
                    t('schedules.never')
                  )}
                </td>
                <td data-col="keep">{p.retain}</td>
                <td data-col="enabled">{p.enabled ? t('common.yes') : t('common.no')}</td>
                <td data-col="members" title={names.join('\n')}>
                  <span className="count-badge">{p.members.length}</span>
                  <span className="hint">{` ${names.slice(0, MEMBERS_SHOWN).join(', ')}${names.length > MEMBERS_SHOWN ? '…' : ''}`}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
