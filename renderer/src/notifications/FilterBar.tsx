// The Notifications view's filters (server, severity or status, object, period) and its tables' empty row.
import { useTranslation } from 'react-i18next';
import { useStore } from '../store/store';
import { PERIODS, type NotificationFilter, type Period } from './notification-filters';

export function FilterBar({ filter, onChange, levels, levelLabel }: { filter: NotificationFilter; onChange: (f: NotificationFilter) => void; levels: readonly string[]; levelLabel: (level: string) => string }) {
  const { t } = useTranslation();
  const servers = useStore((s) => s.servers);
  return (
    <div className="subtoolbar notifications-filters" data-testid="notifications-filters">
      <label>
        {t('notifications.filter.server')}{' '}
        <select data-testid="filter-server" value={filter.serverId} onChange={(e) => onChange({ ...filter, serverId: e.target.value })}>
          <option value="">{t('notifications.filter.all')}</option>
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('notifications.filter.level')}{' '}
        <select data-testid="filter-level" value={filter.level} onChange={(e) => onChange({ ...filter, level: e.target.value as NotificationFilter['level'] })}>
          <option value="">{t('notifications.filter.all')}</option>
          {levels.map((l) => (
            <option key={l} value={l}>
              {levelLabel(l)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('notifications.filter.object')}{' '}
        <input type="search" data-testid="filter-object" value={filter.object} onChange={(e) => onChange({ ...filter, object: e.target.value })} />
      </label>
      <label>
        {t('notifications.filter.period')}{' '}
        <select data-testid="filter-period" value={filter.period} onChange={(e) => onChange({ ...filter, period: e.target.value as Period })}>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {t(`notifications.period.${p}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

export function EmptyRow({ columns, text }: { columns: number; text: string }) {
  return (
    <tr>
      <td colSpan={columns} className="details-hint">
        {text}
      </td>
    </tr>
  );
}
