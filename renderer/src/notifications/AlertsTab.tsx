// The Alerts tab: the servers' alerts, filtered; dismiss one, the selected or all shown
// where the server can (its descriptor says so, and each alert says whether it can go).
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alert } from '../../../shared/notifications';
import { toErrorInfo } from '../../../shared/errors';
import { getClient } from '../client';
import { formatDateTime } from '../components/format';
import { storeActions, useStore } from '../store/store';
import { EmptyRow, FilterBar } from './FilterBar';
import { filterAlerts, NO_FILTER, SEVERITY_LEVELS, type NotificationFilter } from './notification-filters';
import { useNotifications } from './notifications-store';
import { POLYVISOR_ALERT_SOURCE } from '../../../shared/thresholds';
import { thresholdAlertBody } from '../thresholds/threshold-words';

async function dismiss(ids: string[], say: (key: string, values?: Record<string, unknown>) => string): Promise<void> {
  if (!ids.length) return;
  try {
    const outcome = await getClient().client.invoke('alerts:dismiss', ids);
    if (outcome.failed.length) {
      storeActions.report('error', say('notifications.dismissFailed', { count: outcome.failed.length }), outcome.failed.map((f) => `${f.code}: ${f.message}`));
    }
  } catch (e) {
    storeActions.notify(toErrorInfo(e), say('notifications.dismissFailed', { count: ids.length }));
  }
}

export function AlertsTab() {
  const { t, i18n } = useTranslation();
  const alerts = useNotifications((s) => s.alerts);
  const index = useStore((s) => s.index);
  const servers = useStore((s) => s.servers);
  const [filter, setFilter] = useState<NotificationFilter>(NO_FILTER);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const objectName = (a: Alert) => (a.nodeId ? index.nodes.get(a.nodeId)?.name : undefined) ?? a.objectName;
  const shown = useMemo(() => filterAlerts(alerts.values(), filter, objectName), [alerts, filter, index]); // eslint-disable-line react-hooks/exhaustive-deps
  const chosen = shown.filter((a) => selected.has(a.id) && a.dismissable);
  const dismissable = shown.filter((a) => a.dismissable);
  // Polyvisor's own alerts (threshold rules) come from the app, not a server
  const serverName = (id: string) => (id === POLYVISOR_ALERT_SOURCE ? t('thresholds.source') : (servers.find((s) => s.id === id)?.name ?? id));
  const body = (a: Alert) => (a.threshold ? thresholdAlertBody(a.threshold, t) : a.body);
  const toggle = (id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));

  return (
    <>
      <FilterBar filter={filter} onChange={setFilter} levels={SEVERITY_LEVELS} levelLabel={(l) => t(`notifications.severity.${l}`)} />
      <div className="subtoolbar">
        <button type="button" data-testid="dismiss-selected" disabled={!chosen.length} onClick={() => void dismiss(chosen.map((a) => a.id), t)}>
          {t('notifications.dismissSelected', { count: chosen.length })}
        </button>
        <button type="button" data-testid="dismiss-all" disabled={!dismissable.length} onClick={() => void dismiss(dismissable.map((a) => a.id), t)}>
          {t('notifications.dismissAll', { count: dismissable.length })}
        </button>
        <span className="toolbar-fill" />
        <span className="details-hint">{t('notifications.alertCount', { shown: shown.length, total: alerts.size })}</span>
      </div>
      <div className="notifications-scroll">
        <table className="notifications-table" data-testid="alerts-table">
          <thead>
            <tr>
              <th aria-label={t('notifications.col.select')} />
              <th>{t('notifications.col.severity')}</th>
              <th>{t('notifications.col.alert')}</th>
              <th>{t('notifications.col.object')}</th>
              <th>{t('notifications.col.server')}</th>
              <th>{t('notifications.col.time')}</th>
              <th aria-label={t('notifications.col.actions')} />
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? <EmptyRow columns={7} text={t('notifications.noAlerts')} /> : null}
            {shown.map((a) => (
              <tr key={a.id} data-testid="alert-row" data-severity={a.severity} data-name={a.name} className={`alert-row severity-${a.severity}`}>
                <td>
                  <input type="checkbox" aria-label={a.title} checked={selected.has(a.id)} disabled={!a.dismissable} onChange={() => toggle(a.id)} />
                </td>
                <td>
                  <span className={`severity-mark severity-${a.severity}`}>{t(`notifications.severity.${a.severity}`)}</span>
                </td>
                <td>
                  <div className="alert-title">{a.title}</div>
                  {body(a) ? <div className="alert-body">{body(a)}</div> : null}
                </td>
                <td>{objectName(a) ?? ''}</td>
                <td>{serverName(a.serverId)}</td>
                <td>{formatDateTime(a.time, i18n.language)}</td>
                <td>
                  <button
                    type="button"
                    data-testid="dismiss-one"
                    disabled={!a.dismissable}
                    title={a.dismissable ? undefined : t('notifications.cannotDismiss')}
                    onClick={() => void dismiss([a.id], t)}
                  >
                    {t('notifications.dismiss')}
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
