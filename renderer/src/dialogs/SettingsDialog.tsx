import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../shared/contract';
import { useStore, storeActions } from '../store/store';
import { changeSettings } from '../store/requests';
import { Dialog } from './Dialog';
import { ConsoleSettings } from '../console/ConsoleSettings';
import { LastKnownSettings } from '../last-known/LastKnownSettings';

export function SettingsDialog() {
  const { t } = useTranslation();
  const settings = useStore((s) => s.settings);
  if (!settings) return null;
  return (
    <Dialog
      title={t('settings.title')}
      testId="settings-dialog"
      onCancel={storeActions.closeDialog}
      onSubmit={storeActions.closeDialog}
      footer={
        <button type="submit" className="primary" data-testid="settings-close">
          {t('common.close')}
        </button>
      }
    >
      <div className="form-grid">
        <label className="field">
          <span>{t('settings.language')}</span>
          <select
            data-testid="settings-language"
            value={settings.language}
            onChange={(e) => void changeSettings({ language: e.target.value as Settings['language'] })}
          >
            <option value="system">{t('settings.languageSystem')}</option>
            <option value="en">{t('settings.languageEn')}</option>
            <option value="zh-CN">{t('settings.languageZh')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('settings.theme')}</span>
          <select data-testid="settings-theme" value={settings.theme} onChange={(e) => void changeSettings({ theme: e.target.value as Settings['theme'] })}>
            <option value="system">{t('settings.themeSystem')}</option>
            <option value="light">{t('settings.themeLight')}</option>
            <option value="dark">{t('settings.themeDark')}</option>
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="settings-reconnect"
            checked={settings.reconnectAtStart}
            onChange={(e) => void changeSettings({ reconnectAtStart: e.target.checked })}
          />
          {t('settings.reconnectAtStart')}
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            data-testid="settings-templates"
            checked={settings.showTemplates}
            onChange={(e) => void changeSettings({ showTemplates: e.target.checked })}
          />
          {t('settings.showTemplates')}
        </label>
        <ConsoleSettings settings={settings} />
        <LastKnownSettings settings={settings} />
      </div>
    </Dialog>
  );
}
