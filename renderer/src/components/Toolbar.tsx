// The main toolbar: a list of commands (commands/layouts.ts).
import { useTranslation } from 'react-i18next';
import { TOOLBAR } from '../commands/layouts';
import { CommandBar } from './CommandBar';

export function Toolbar() {
  const { t } = useTranslation();
  return (
    <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      <CommandBar layout={TOOLBAR} testIdPrefix="tb-" buttonClassName="tool-button" />
    </div>
  );
}
