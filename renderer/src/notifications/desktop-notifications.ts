// New alerts as desktop notifications (the Web Notifications API: Electron and browsers
// alike), for the servers the user switched on in the settings.
import type { Alert } from '../../../shared/notifications';

export type DesktopPermission = NotificationPermission | 'unsupported';

export function desktopPermission(): DesktopPermission {
  return typeof window.Notification === 'undefined' ? 'unsupported' : window.Notification.permission;
}

/** Asks once (the browser remembers the answer); resolves with what the user or the host decided. */
export async function askDesktopPermission(): Promise<DesktopPermission> {
  if (typeof window.Notification === 'undefined') return 'unsupported';
  if (window.Notification.permission !== 'default') return window.Notification.permission;
  return window.Notification.requestPermission();
}

/** Shows one notification per new alert of a switched-on server; nothing while the permission is not granted. */
export function notifyDesktop(alerts: Alert[], enabledServers: readonly string[] | undefined, serverName: (id: string) => string): number {
  if (desktopPermission() !== 'granted' || !enabledServers?.length) return 0;
  let shown = 0;
  for (const a of alerts) {
    if (!enabledServers.includes(a.serverId)) continue;
    new window.Notification(`${serverName(a.serverId)}: ${a.title}`, { body: [a.objectName, a.body].filter(Boolean).join('\n'), tag: a.id });
    shown++;
  }
  return shown;
}
