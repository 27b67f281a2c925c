// The Notifications view, as XenCenter's: Alerts, Events (every task and event on the
// servers, by anyone) and this app's own tasks. What a connected platform lacks is said.
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from '../../../shared/descriptor';
import { TasksTable, useNow } from '../components/TasksPanel';
import { descriptorOf } from '../providers/descriptors';
import { useStore } from '../store/store';
import { AlertsTab } from './AlertsTab';
import { DesktopSwitches } from './DesktopSwitches';
import { EventsTab } from './EventsTab';
import { ThresholdsTab } from '../thresholds/ThresholdsTab';
import { notificationActions, useNotifications, type NotificationsTab } from './notifications-store';
import './notifications.css';

const TABS: NotificationsTab[] = ['alerts', 'events', 'app-tasks', 'thresholds'];

export function NotificationsView() {
  const tab = useNotifications((s) => s.tab);
  return tab ? <OpenView tab={tab} /> : null;
}

/** One line per connected server whose platform lacks part of the view, in its own words. */
function PlatformNotes() {
  const { i18n, t } = useTranslation();
  const notes = useStore((s) =>
    s.servers
      .filter((v) => v.state === 'connected')
      .map((v) => {
        const facet = descriptorOf(s, v.type)?.facets.notifications;
        if (!facet) return t('notifications.noFeed', { name: v.name });
        return facet.note ? `${v.name}: ${localized(facet.note, i18n.language)}` : '';
      })
      .filter(Boolean)
      .join('\n'),
  );
  return notes ? (
    <div className="notifications-notes details-hint" data-testid="notifications-notes">
      {notes.split('\n').map((line) => (
        <div key={line}>{line}</div>
      ))}
    </div>
  ) : null;
}

function OpenView({ tab }: { tab: NotificationsTab }) {
  const { t } = useTranslation();
  const titleId = useId();
  const tasks = useStore((s) => s.tasks);
  const now = useNow(tasks.some((x) => x.status === 'running'));
  const freshCount = useNotifications((s) => s.fresh.size);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') notificationActions.close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    if (tab === 'alerts' && freshCount) notificationActions.markSeen();
  }, [tab, freshCount]);
  return (
    <div className="dialog-backdrop schedules-backdrop">
      <section role="dialog" aria-modal="true" aria-labelledby={titleId} className="schedules-view notifications-view" data-testid="notifications-view">
        <header className="notifications-header">
          <h2 id={titleId}>{t('notifications.title')}</h2>
          <div role="tablist" className="notifications-tabs">
            {TABS.map((id) => (
              <button key={id} type="button" role="tab" aria-selected={tab === id} data-testid={`notifications-tab-${id}`} onClick={() => notificationActions.open(id)}>
                {t(`notifications.tab.${id}`)}
              </button>
            ))}
          </div>
          <span className="toolbar-fill" />
          <DesktopSwitches />
          <button type="button" data-testid="notifications-close" onClick={() => notificationActions.close()}>
            {t('notifications.close')}
          </button>
        </header>
        <PlatformNotes />
        <div className="notifications-body">
          {tab === 'alerts' ? <AlertsTab /> : null}
          {tab === 'events' ? <EventsTab /> : null}
          {tab === 'thresholds' ? <ThresholdsTab /> : null}
          {tab === 'app-tasks' ? (
            <div className="notifications-scroll tasks-scroll">
              <TasksTable tasks={tasks} now={now} />
            </div>
          ) : null}
        </div>
      </section>
    </div>
  );
}
