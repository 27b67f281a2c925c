// The Events tab: every task and event on the servers, whoever started it, with progress.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServerTask } from '../../../shared/notifications';
import { formatDateTime } from '../components/format';
import { useStore } from '../store/store';
import { EmptyRow, FilterBar } from './FilterBar';
import { filterTasks, NO_FILTER, TASK_LEVELS, type NotificationFilter } from './notification-filters';
import { useNotifications } from './notifications-store';

export function EventsTab() {
  const { t, i18n } = useTranslation();
  const tasks = useNotifications((s) => s.tasks);
  const index = useStore((s) => s.index);
  const servers = useStore((s) => s.servers);
  const [filter, setFilter] = useState<NotificationFilter>(NO_FILTER);
  const objectName = (task: ServerTask) => (task.nodeId ? index.nodes.get(task.nodeId)?.name : undefined) ?? task.objectName;
  const shown = useMemo(() => filterTasks(tasks.values(), filter, objectName), [tasks, filter, index]); // eslint-disable-line react-hooks/exhaustive-deps
  const serverName = (id: string) => servers.find((s) => s.id === id)?.name ?? id;
  return (
    <>
      <FilterBar filter={filter} onChange={setFilter} levels={TASK_LEVELS} levelLabel={(l) => t(`notifications.status.${l}`)} />
      <div className="notifications-scroll">
        <table className="notifications-table" data-testid="events-table">
          <thead>
            <tr>
              <th>{t('notifications.col.what')}</th>
              <th>{t('notifications.col.object')}</th>
              <th>{t('notifications.col.user')}</th>
              <th>{t('notifications.col.server')}</th>
              <th>{t('notifications.col.started')}</th>
              <th>{t('notifications.col.progress')}</th>
              <th>{t('notifications.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? <EmptyRow columns={7} text={t('notifications.noEvents')} /> : null}
            {shown.map((task) => {
              const percent = task.status === 'success' ? 100 : task.progress === undefined ? undefined : Math.round(task.progress * 100);
              return (
                <tr key={task.id} data-testid="event-row" data-status={task.status} data-what={task.what}>
                  <td>{task.what}</td>
                  <td>{objectName(task) ?? ''}</td>
                  <td>{task.user ?? ''}</td>
                  <td>{serverName(task.serverId)}</td>
                  <td>{formatDateTime(task.startedAt, i18n.language)}</td>
                  <td>
                    {percent === undefined || task.kind === 'event' ? null : (
                      <div className="progress" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} data-testid="event-progress">
                        <div className="progress-bar" style={{ width: `${percent}%` }} />
                        <span className="progress-text">{`${percent}%`}</span>
                      </div>
                    )}
                  </td>
                  <td title={task.error ? `${task.error.code}: ${task.error.message}` : undefined}>
                    {t(`notifications.status.${task.status}`)}
                    {task.error ? <span className="alert-body"> {task.error.code}</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
