// A storage's used share as a bar (the tree row's and the storage tab's), with its
// sizes in words; nothing where the server does not say how big the storage is.
import { useTranslation } from 'react-i18next';
import { usedFraction, type StorageInfo } from '../../../shared/storage';
import { formatBytes } from '../components/format';

/** Past this share the bar warns, as XenCenter marks an SR that is nearly full (removable media is full by nature). */
const NEARLY_FULL = 0.9;

export function FreeSpaceBar({ info, compact = false }: { info: StorageInfo; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  const fraction = usedFraction(info);
  if (fraction === null || info.size === null || info.used === null) return null;
  const words = t('storage.usage', {
    used: formatBytes(info.used, i18n.language),
    size: formatBytes(info.size, i18n.language),
    free: formatBytes(info.free ?? Math.max(0, info.size - info.used), i18n.language),
  });
  return (
    <span className={`storage-usage${compact ? ' compact' : ''}`} data-testid="storage-usage" title={words}>
      <span
        className={`meter${compact ? '' : ' wide'} storage-meter${fraction >= NEARLY_FULL && !info.removable ? ' nearly-full' : ''}`}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={info.size}
        aria-valuenow={info.used}
        aria-label={words}
      >
        <span className="meter-fill" style={{ width: `${Math.round(fraction * 1000) / 10}%` }} />
      </span>
      {compact ? null : <span className="hint">{words}</span>}
    </span>
  );
}
