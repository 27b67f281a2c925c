// Settings → how many graphical consoles stay connected after their tab closes, and for how long.
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../shared/contract';
import { changeSettings } from '../store/requests';
import { keeperLimitsOf } from './console-keeper';

export function ConsoleSettings({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const limits = keeperLimitsOf(settings);
  const whole = (value: string, min: number, max: number): number | undefined => {
    const n = Number(value);
    return value !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
  return (
    <>
      <label className="field">
        <span>{t('settings.consolesKept')}</span>
        <input
          type="number"
          min={0}
          max={32}
          data-testid="settings-consoles-kept"
          defaultValue={limits.keep}
          onChange={(e) => {
            const keep = whole(e.target.value, 0, 32);
            if (keep !== undefined) void changeSettings({ consolesKept: keep });
          }}
        />
      </label>
      <label className="field">
        <span>{t('settings.consoleIdleMinutes')}</span>
        <input
          type="number"
          min={1}
          max={1440}
          data-testid="settings-console-idle"
          defaultValue={limits.idleMs / 60_000}
          onChange={(e) => {
            const minutes = whole(e.target.value, 1, 1440);
            if (minutes !== undefined) void changeSettings({ consoleIdleMinutes: minutes });
          }}
        />
      </label>
    </>
  );
}
