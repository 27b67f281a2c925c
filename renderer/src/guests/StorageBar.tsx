// A storage as the wizard lists it: name, free space as a bar against the space the
// new disks take there, "shared" and "default" marks.
import { useTranslation } from 'react-i18next';
import type { StorageChoice } from '../../../shared/migration';
import { formatBytes } from '../components/format';

export function StorageBar({ storage, wanted }: { storage: StorageChoice; wanted: number }) {
  const { t, i18n } = useTranslation();
  const free = storage.freeBytes;
  const over = free !== undefined && wanted > free;
  const used = free === undefined || free === 0 ? 0 : Math.min(100, (wanted / free) * 100);
  return (
    <div className={`storage-bar${over ? ' over' : ''}`} data-testid="storage-bar" data-storage={storage.name}>
      <span className="storage-name">{storage.name}</span>
      {storage.shared ? <span className="badge">{t('guests.wizard.shared')}</span> : null}
      {storage.isDefault ? <span className="badge">{t('guests.wizard.default')}</span> : null}
      {free !== undefined ? (
        <>
          <span className="meter" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(used)} aria-label={t('guests.wizard.freeSpace')}>
            <span className="meter-fill" style={{ width: `${used}%` }} />
          </span>
          <span className="hint">
            {storage.capacityBytes !== undefined
              ? t('guests.wizard.freeOf', { size: formatBytes(free, i18n.language), capacity: formatBytes(storage.capacityBytes, i18n.language) })
              : t('guests.wizard.free', { size: formatBytes(free, i18n.language) })}
          </span>
        </>
      ) : null}
    </div>
  );
}
