// Why a console could not be opened: a sentence in the user's language first, then the
// error as the server gave it (its code, its own words) for whoever needs the detail.
import { useTranslation } from 'react-i18next';
import type { ErrorCode, ErrorInfo } from '../../../shared/errors';
import { ErrorDetails } from '../components/ErrorDetails';

/** The codes with a sentence of their own; every other code gets the general one. */
const LEADS: ReadonlySet<ErrorCode> = new Set(['SERVER_ERROR', 'AUTH_FAILED', 'CONNECTION_FAILED', 'TIMEOUT', 'UNSUPPORTED', 'CERT_UNTRUSTED', 'CERT_CHANGED']);

export function ConsoleError({ error }: { error: ErrorInfo }) {
  const { t } = useTranslation();
  return (
    <div className="console-error" data-testid="console-error" data-code={error.code}>
      <p className="console-error-lead" data-testid="console-error-lead">
        {t(`console.failure.${LEADS.has(error.code) ? error.code : 'other'}`)}
      </p>
      <ErrorDetails error={error} compact />
    </div>
  );
}
