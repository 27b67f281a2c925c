// The hidden file input the Import command opens (Electron shows its native open dialog).
import { useTranslation } from 'react-i18next';
import { importServerFile, registerImportPicker } from '../commands/import-servers';

export function ImportFileInput() {
  const { t } = useTranslation();
  return (
    <input
      ref={registerImportPicker}
      type="file"
      accept=".json,.config,.xml,application/json"
      hidden
      aria-label={t('command.importServers')}
      data-testid="import-file"
      onChange={(e) => {
        const input = e.currentTarget;
        const file = input.files?.[0];
        if (!file) return;
        void importServerFile(file).finally(() => {
          input.value = '';
        });
      }}
    />
  );
}
