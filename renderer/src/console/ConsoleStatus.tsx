// The console's connection state in words, at the end of its toolbar.
import { useTranslation } from 'react-i18next';
import type { ConsolePhase } from './console-session';

export function ConsoleStatus({ phase }: { phase: ConsolePhase }) {
  const { t } = useTranslation();
  return (
    <span className={`console-status console-status-${phase}`} data-testid="console-status" role="status">
      {t(`console.phase.${phase}`)}
    </span>
  );
}
