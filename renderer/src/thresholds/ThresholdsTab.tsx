// The Notifications view's Thresholds tab: Polyvisor's own alert rules on live data, for
// every platform — list, add, edit, enable or disable, delete. What they raise shows in
// the Alerts tab, from the source "Polyvisor".
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ThresholdRule, ThresholdScope } from '../../../shared/thresholds';
import { getClient } from '../client';
import i18n from '../i18n';
import { storeActions, useStore } from '../store/store';
import { EmptyRow } from '../notifications/FilterBar';
import { ThresholdEditor } from './ThresholdEditor';
import { thresholdRequests } from './threshold-requests';
import { conditionWords } from './threshold-words';
import { followThresholds, useThresholds } from './thresholds-store';
import './thresholds.css';

export function ThresholdsTab() {
  const { t } = useTranslation();
  const rules = useThresholds((s) => s.rules);
  const [editing, setEditing] = useState<ThresholdRule | 'new' | null>(null);
  useEffect(() => void followThresholds(getClient().client, (message) => storeActions.inform(i18n.t('thresholds.loadFailed', { message }))), []);

  return (
    <>
      <div className="subtoolbar">
        <button type="button" data-testid="threshold-add" onClick={() => setEditing('new')}>
          {t('thresholds.add')}
        </button>
        <span className="toolbar-fill" />
        <span className="details-hint">{t('thresholds.intro')}</span>
      </div>
      {editing ? (
        <ThresholdEditor
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(null)}
          onSave={(draft) =>
            void (editing === 'new' ? thresholdRequests.create(draft) : thresholdRequests.update(editing.id, draft)).then((saved) => saved && setEditing(null))
          }
        />
      ) : null}
      <div className="notifications-scroll">
        <table className="notifications-table" data-testid="thresholds-table">
          <thead>
            <tr>
              <th>{t('thresholds.col.enabled')}</th>
              <th>{t('thresholds.col.name')}</th>
              <th>{t('thresholds.col.condition')}</th>
              <th>{t('thresholds.col.scope')}</th>
              <th>{t('notifications.col.severity')}</th>
              <th aria-label={t('notifications.col.actions')} />
            </tr>
          </thead>
          <tbody>
            {rules.length === 0 ? <EmptyRow columns={6} text={t('thresholds.none')} /> : null}
            {rules.map((r) => (
              <tr key={r.id} data-testid="threshold-row" data-rule={r.id}>
                <td>
                  <input type="checkbox" aria-label={t('thresholds.col.enabled')} data-testid="threshold-enabled" checked={r.enabled} onChange={() => void thresholdRequests.update(r.id, { enabled: !r.enabled })} />
                </td>
                <td>{r.name}</td>
                <td data-testid="threshold-condition">{conditionWords(r, t)}</td>
                <td>
                  <ScopeWords scope={r.scope} />
                  {r.kinds.length ? ` · ${r.kinds.map((k) => t(`thresholds.kind.${k}`)).join(', ')}` : ''}
                </td>
                <td>
                  <span className={`severity-mark severity-${r.severity}`}>{t(`notifications.severity.${r.severity}`)}</span>
                </td>
                <td>
                  <button type="button" data-testid="threshold-edit" onClick={() => setEditing(r)}>
                    {t('thresholds.edit')}
                  </button>{' '}
                  <button type="button" data-testid="threshold-delete" onClick={() => void thresholdRequests.remove(r.id)}>
                    {t('thresholds.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ScopeWords({ scope }: { scope: ThresholdScope }) {
  const { t } = useTranslation();
  const servers = useStore((s) => s.servers);
  const index = useStore((s) => s.index);
  if (scope.kind === 'all') return <>{t('thresholds.scope.all')}</>;
  if (scope.kind === 'tag') return <>{t('thresholds.scopeTag', { tag: scope.tag })}</>;
  if (scope.kind === 'server') return <>{servers.find((s) => s.id === scope.serverId)?.name ?? t('thresholds.gone')}</>;
  const name = index.nodes.get(scope.nodeId)?.name ?? t('thresholds.gone');
  return <>{scope.kind === 'subtree' ? t('thresholds.scopeSubtree', { name }) : name}</>;
}
