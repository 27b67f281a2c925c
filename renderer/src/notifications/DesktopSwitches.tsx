// Desktop notifications for new alerts, switched on per server (saved in the settings);
// says so when the browser does not allow them. The desktop app shows them from its main
// process (electron/main-notifications.ts): no page permission is asked there.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeSettings } from '../store/requests';
import { useStore } from '../store/store';
import { askDesktopPermission, desktopPermission, type DesktopPermission } from './desktop-notifications';

export function DesktopSwitches() {
  const { t } = useTranslation();
  const servers = useStore((s) => s.servers);
  const saved = useStore((s) => s.settings?.desktopNotifications);
  const enabled = saved ?? [];
  const byHost = useStore((s) => s.info?.mode === 'electron');
  const [permission, setPermission] = useState<DesktopPermission>(() => (byHost ? 'granted' : desktopPermission()));
  const toggle = async (serverId: string, on: boolean) => {
    if (on && !byHost) setPermission(await askDesktopPermission());
    await changeSettings({ desktopNotifications: on ? [...enabled, serverId] : enabled.filter((id) => id !== serverId) });
  };
  return (
    <details className="desktop-switches" data-testid="desktop-switches">
      <summary>{t('notifications.desktop.title')}</summary>
      {permission === 'denied' || permission === 'unsupported' ? <p className="details-hint" data-testid="desktop-permission">{t(`notifications.desktop.${permission}`)}</p> : null}
      {servers.map((s) => (
        <label key={s.id} className="desktop-switch">
          <input type="checkbox" data-testid="desktop-switch" data-server={s.name} checked={enabled.includes(s.id)} onChange={(e) => void toggle(s.id, e.target.checked)} />
          {s.name}
        </label>
      ))}
    </details>
  );
}
