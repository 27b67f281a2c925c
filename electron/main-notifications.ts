// New alerts as desktop notifications in the desktop app (Electron's Notification, from
// the main process), for the servers switched on in the settings. The window's own Web
// Notifications stay refused, as every permission a page asks for is.
import { Notification } from 'electron';
import type { PolyvisorCore } from './core/app-core';

export function showAlertsOnDesktop(core: PolyvisorCore, log: (message: string) => void): void {
  let enabled: readonly string[] = [];
  const names = new Map<string, string>();
  const known = new Set<string>();
  core
    .invoke('app:info')
    .then((info) => (enabled = info.settings.desktopNotifications ?? []))
    .catch((e: unknown) => log(`Desktop notifications: the settings could not be read (${e instanceof Error ? e.message : String(e)})`));
  core.on('settings:changed', (settings) => (enabled = settings.desktopNotifications ?? []));
  core.on('server:changed', (view) => names.set(view.id, view.name));
  core.on('alerts:changed', (delta) => {
    // a (re)connect's whole list is what the server had, not news
    const show = !delta.reset && enabled.includes(delta.serverId) && Notification.isSupported();
    for (const alert of delta.upsert) {
      if (known.has(alert.id)) continue;
      known.add(alert.id);
      if (show) new Notification({ title: `${names.get(alert.serverId) ?? alert.serverId}: ${alert.title}`, body: [alert.objectName, alert.body].filter(Boolean).join('\n') }).show();
    }
  });
}
