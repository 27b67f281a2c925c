// A server's refusal of a guest change, in a dialog: the code in words (known codes),
// the code, the server's own message, and Reload where re-reading the guest helps
// (a concurrent edit changed it since the dialog read it).
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';
import { ErrorDetails } from '../components/ErrorDetails';
import { serverCodeWords } from './server-code-words';

export function ServerRefusal({ error, onReload }: { error: ErrorInfo; onReload?: () => void }) {
  const { t } = useTranslation();
  const words = serverCodeWords(t, error);
  return (
    <div className="guest-refusal" data-testid="guest-refusal" data-code={error.serverCode ?? error.code}>
      {words ? (
        <p className="guest-refusal-words" data-testid="guest-refusal-words">
          {words}
        </p>
      ) : null}
      <ErrorDetails error={error} compact />
      {onReload ? (
        <p className="hint">
          {t('guests.props.reloadHint')}{' '}
          <button type="button" data-testid="guest-reload" onClick={onReload}>
            {t('guests.props.reload')}
          </button>
        </p>
      ) : null}
    </div>
  );
}
