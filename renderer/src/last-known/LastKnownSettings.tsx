// Settings → keep each server's last known tree (shown while it is offline), and how many servers connect at once.
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../shared/contract';
import { changeSettings } from '../store/requests';
import { DEFAULT_CONNECT_AT_ONCE } from '../../../shared/connect-defaults';

export function LastKnownSettings({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const atOnce = settings.connectAtOnce ?? DEFAULT_CONNECT_AT_ONCE;
  const choices = [...new Set([1, 2, 4, 8, 16, DEFAULT_CONNECT_AT_ONCE, 32, 64, atOnce])].sort((a, b) => a - b);
  return (
    <>
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="settings-last-known"
          checked={settings.lastKnownTrees !== false}
          onChange={(e) => void changeSettings({ lastKnownTrees: e.target.checked })}
        />
        {t('settings.lastKnownTrees')}
      </label>
      <label className="field">
        <span>{t('settings.connectAtOnce')}</span>
        <select data-testid="settings-connect-at-once" value={atOnce} onChange={(e) => void changeSettings({ connectAtOnce: Number(e.target.value) })}>
          {choices.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
