// Status bar: the way into Notifications (with the count of new alerts), connection counts,
// running VMs, running tasks, link to the service.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { inventoryTally, useStore } from '../store/store';
import { NotificationsNav } from '../notifications/NotificationsNav';

export function StatusBar() {
  const { t } = useTranslation();
  const servers = useStore((s) => s.servers);
  const index = useStore((s) => s.index);
  const tasks = useStore((s) => s.tasks);
  const link = useStore((s) => s.linkState);
  const mode = useStore((s) => s.info?.mode);
  const version = useStore((s) => s.info?.version);
  // kept from the deltas: not a pass over every node per batch
  const counts = useMemo(() => inventoryTally.guests(index), [index]);
  const connected = servers.filter((s) => s.state === 'connected').length;
  const runningTasks = tasks.filter((task) => task.status === 'running').length;
  return (
    <footer className="status-bar" data-testid="status-bar">
      <NotificationsNav />
      <span>{t('status.servers', { connected, total: servers.length })}</span>
      <span data-testid="status-vms">{t('status.vms', { running: counts.running, total: counts.total })}</span>
      <span>{t('status.tasks', { count: runningTasks })}</span>
      <span className="toolbar-fill" />
      <span className={`link-${link}`} data-testid="status-link">
        {t(`link.${link}`)}
      </span>
      {mode ? <span>{t(`mode.${mode}`)}</span> : null}
      {version ? <span>{t('status.version', { version })}</span> : null}
    </footer>
  );
}
