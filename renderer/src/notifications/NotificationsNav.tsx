// The way into the Notifications view, with the count of new alerts (XenCenter's
// Notifications button), in the status bar. Mounting it starts following the servers' alerts.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { getClient } from '../client';
import i18n from '../i18n';
import { storeActions, useStore } from '../store/store';
import { notifyDesktop } from './desktop-notifications';
import { followNotifications, notificationActions, useNotifications } from './notifications-store';

function start(): void {
  void followNotifications(
    getClient().client,
    (alerts) => {
      const { settings, servers } = useStore.getState();
      notifyDesktop(alerts, settings?.desktopNotifications, (id) => servers.find((s) => s.id === id)?.name ?? id);
    },
    (message) => storeActions.inform(i18n.t('notifications.loadFailed', { message })),
  );
}

export function NotificationsNav() {
  const { t } = useTranslation();
  const fresh = useNotifications((s) => s.fresh.size);
  useEffect(start, []);
  return (
    <button type="button" className="notifications-nav" data-testid="notifications-nav" onClick={() => notificationActions.open('alerts')}>
      <span>{t('notifications.title')}</span>
      {fresh > 0 ? (
        <span className="notifications-badge" data-testid="notifications-badge" aria-label={t('notifications.newCount', { count: fresh })}>
          {fresh}
        </span>
      ) : null}
    </button>
  );
}
