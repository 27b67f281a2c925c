// Bottom panel: every task with its start, user, progress, elapsed time, result and the
// server's error (in the user's words first, the server's code second). Columns keep their
// widths whatever the rows hold.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaskInfo } from '../../../shared/contract';
import { useStore, storeActions } from '../store/store';
import { cancelTask, clearFinishedTasks } from '../store/requests';
import { formatDateTime, formatElapsed } from './format';
import { taskLines } from './task-order';
import { actionLabel } from '../providers/action-labels';
import { descriptorOf, serverDisplay } from '../providers/descriptors';
import { serverCodeWords } from '../guests/server-code-words';

/** Today's tasks by their time; older ones with the date too. */
function formatStart(startedAt: number, now: number, language: string): string {
  const start = new Date(startedAt);
  const sameDay = start.toDateString() === new Date(now).toDateString();
  return sameDay ? start.toLocaleTimeString(language) : start.toLocaleString(language, { dateStyle: 'short', timeStyle: 'short' });
}

export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return active ? Math.max(now, Date.now() - 1000) : now;
}

export function TasksPanel() {
  const { t } = useTranslation();
  const tasks = useStore((s) => s.tasks);
  const open = useStore((s) => s.tasksOpen);
  const running = tasks.filter((task) => task.status === 'running').length;
  const now = useNow(running > 0);
  const finished = tasks.length - running;

  return (
    <section className={`tasks-panel${open ? '' : ' collapsed'}`} data-testid="tasks-panel" aria-label={t('tasks.title')}>
      <header className="panel-header">
        <button type="button" className="panel-toggle" aria-expanded={open} onClick={() => storeActions.setTasksOpen(!open)}>
          <span className={`twisty ${open ? 'open' : 'closed'}`} aria-hidden="true" />
          {t('tasks.title')}
        </button>
        <span className="panel-count">{t('tasks.summary', { running, total: tasks.length })}</span>
        <span className="toolbar-fill" />
        <button type="button" data-testid="tasks-clear" disabled={finished === 0} onClick={() => void clearFinishedTasks()}>
          {t('tasks.clearFinished')}
        </button>
      </header>
      {open ? (
        <div className="tasks-scroll">
          <TasksTable tasks={tasks} now={now} />
        </div>
      ) : null}
    </section>
  );
}

/** Polyvisor's own tasks, children under their parent (the tasks panel and the Notifications view's third tab). */
export function TasksTable({ tasks, now }: { tasks: TaskInfo[]; now: number }) {
  const { t } = useTranslation();
  return (
    <table className="tasks-table">
      <colgroup>
        <col className="tc-task" />
        <col className="tc-target" />
        <col className="tc-server" />
        <col className="tc-user" />
        <col className="tc-started" />
        <col className="tc-progress" />
        <col className="tc-elapsed" />
        <col className="tc-status" />
        <col className="tc-actions" />
      </colgroup>
      <thead>
        <tr>
          <th>{t('tasks.col.task')}</th>
          <th>{t('tasks.col.target')}</th>
          <th>{t('tasks.col.server')}</th>
          <th>{t('tasks.col.user')}</th>
          <th>{t('tasks.col.started')}</th>
          <th className="col-progress">{t('tasks.col.progress')}</th>
          <th>{t('tasks.col.elapsed')}</th>
          <th>{t('tasks.col.status')}</th>
          <th aria-label={t('tasks.col.actions')} />
        </tr>
      </thead>
      <tbody>
        {tasks.length === 0 ? (
          <tr>
            <td colSpan={9} className="details-hint">
              {t('tasks.none')}
            </td>
          </tr>
        ) : null}
        {taskLines(tasks).map(({ task, depth }) => (
          <TaskRow key={task.id} task={task} now={now} depth={depth} />
        ))}
      </tbody>
    </table>
  );
}

function TaskRow({ task, now, depth }: { task: TaskInfo; now: number; depth: number }) {
  const { t, i18n } = useTranslation();
  const server = useStore((s) => s.servers.find((v) => v.id === task.serverId));
  const descriptor = useStore((s) => descriptorOf(s, server?.type));
  const serverName = server?.name ?? '';
  const user = server ? serverDisplay(server, descriptor).login : '';
  const target = task.ownerName ? `${task.ownerName} › ${task.targetName}` : task.targetName;
  const label = actionLabel(t, i18n.language, task.action, [descriptor]);
  const elapsed = (task.finishedAt ?? now) - task.startedAt;
  const percent = Math.round(Math.max(0, Math.min(1, task.progress)) * 100);
  return (
    <tr
      data-testid="task-row"
      data-status={task.status}
      data-action={task.action}
      data-parent={task.parentId}
      className={`task-row task-${task.status}${depth > 0 ? ' child' : ''}`}
    >
      <td style={depth > 1 ? { paddingLeft: 22 * depth } : undefined}>
        {depth > 0 ? <span className="task-child-mark" aria-hidden="true">{'↳ '}</span> : null}
        {label}
      </td>
      <td title={target} data-testid="task-target">
        {target}
      </td>
      <td title={serverName}>{serverName}</td>
      <td title={user}>{user}</td>
      <td title={formatDateTime(task.startedAt, i18n.language)} data-testid="task-started">
        {formatStart(task.startedAt, now, i18n.language)}
      </td>
      <td className="col-progress">
        <div
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-label={t('tasks.col.progress')}
          data-testid="task-progress"
        >
          <div className="progress-bar" style={{ width: `${percent}%` }} />
          <span className="progress-text">{`${percent}%`}</span>
        </div>
      </td>
      <td className="mono">{formatElapsed(elapsed)}</td>
      <td data-testid="task-status">
        <span className={`status-chip ${task.status}`}>{t(`taskStatus.${task.status}`)}</span>
        {task.error ? (
          <span className="task-error" data-testid="task-error" title={task.error.message}>
            {serverCodeWords(t, task.error) ?? t(`errorCode.${task.error.code}`)}
            {task.error.serverCode ? <span className="mono server-code">{` ${task.error.serverCode}`}</span> : null}
          </span>
        ) : null}
      </td>
      <td>
        {task.status === 'running' && task.cancellable ? (
          <button type="button" data-testid="task-cancel" onClick={() => void cancelTask(task.id)}>
            {t('tasks.cancel')}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
