// An error as the user should read it: what kind, the server's own code and message.
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';

export function ErrorDetails({ error, compact }: { error: ErrorInfo; compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={`error-details${compact ? ' compact' : ''}`} role="alert" data-testid="error-details" data-code={error.code}>
      <strong>{t(`errorCode.${error.code}`)}</strong>
      {error.serverCode ? <span className="mono server-code" data-testid="error-server-code">{` ${error.serverCode}`}</span> : null}
      {error.serverParams && error.serverParams.length ? <span className="mono">{` (${error.serverParams.join(', ')})`}</span> : null}
      <div className="error-message">{error.message}</div>
    </div>
  );
}
