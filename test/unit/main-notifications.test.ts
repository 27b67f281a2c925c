// The desktop app's notifications for new alerts (electron/main-notifications.ts), with
// Electron's Notification recorded: only new alerts of switched-on servers, each once.
import { describe, expect, it, vi } from 'vitest';
import type { EventMap, EventName } from '../../shared/contract';
import type { Alert } from '../../shared/notifications';

const shown: Array<{ title: string; body: string }> = [];
vi.mock('electron', () => ({
  Notification: class {
    static isSupported = () => true;
    constructor(private readonly options: { title: string; body: string }) {}
    show() {
      shown.push(this.options);
    }
  },
}));

const { showAlertsOnDesktop } = await import('../../electron/main-notifications');

function fakeCore(desktopNotifications: string[]) {
  const listeners = new Map<string, Array<(p: unknown) => void>>();
  return {
    invoke: async () => ({ settings: { desktopNotifications } }),
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as (p: unknown) => void]);
      return () => undefined;
    },
    emit<E extends EventName>(event: E, payload: EventMap[E]) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
}

const alert = (serverId: string, ref: string): Alert => ({
  id: `${serverId}:alert:${ref}`, serverId, nativeRef: ref, severity: 'major', name: 'VM_CRASHED', title: 'VM crashed', body: 'twice', objectName: 'web01', time: 1, dismissable: true,
});

describe('desktop notifications from the main process', () => {
  it('shows each new alert of a switched-on server once; a connect\'s whole list and other servers stay quiet', async () => {
    const core = fakeCore(['s1']);
    showAlertsOnDesktop(core as never, () => undefined);
    await Promise.resolve();
    core.emit('server:changed', { id: 's1', name: 'Pool A' } as never);
    core.emit('alerts:changed', { serverId: 's1', reset: true, upsert: [alert('s1', 'old')], remove: [] });
    core.emit('alerts:changed', { serverId: 's1', upsert: [alert('s1', 'new')], remove: [] });
    core.emit('alerts:changed', { serverId: 's1', upsert: [alert('s1', 'new'), alert('s1', 'old')], remove: [] });
    core.emit('alerts:changed', { serverId: 's2', upsert: [alert('s2', 'other')], remove: [] });
    expect(shown).toEqual([{ title: 'Pool A: VM crashed', body: 'web01\ntwice' }]);
    core.emit('settings:changed', { desktopNotifications: ['s1', 's2'] } as never);
    core.emit('alerts:changed', { serverId: 's2', upsert: [alert('s2', 'later')], remove: [] });
    expect(shown.map((n) => n.title)).toEqual(['Pool A: VM crashed', 's2: VM crashed']);
  });
});
