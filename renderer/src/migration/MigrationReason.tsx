// Why a host cannot take a VM: the reason in the user's words first (known server
// codes are translated, others keep the server's message), the server's code second.
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ErrorInfo } from '../../../shared/errors';

function reasonWords(t: TFunction, error: ErrorInfo): string {
  const message = error.message || t(`errorCode.${error.code}`);
  return error.serverCode ? t(`migrationReason.${error.serverCode}`, { defaultValue: message }) : message;
}

/** The reason as one line of words (for a tooltip or a note). */
export function reasonText(t: TFunction, error: ErrorInfo): string {
  const words = reasonWords(t, error);
  return error.serverCode ? `${words} (${error.serverCode})` : words;
}

/** The server's own message and parameters (object references: kept out of the line, shown on hover). */
function tooltip(error: ErrorInfo): string {
  return [error.message, error.serverParams?.length ? `${error.serverCode ?? ''}(${error.serverParams.join(', ')})` : ''].filter(Boolean).join('\n');
}

export function MigrationReason({ error }: { error: ErrorInfo }) {
  const { t } = useTranslation();
  const words = reasonWords(t, error);
  return (
    <span className="migration-reason" data-testid="migration-reason" data-code={error.serverCode ?? error.code} title={tooltip(error)}>
      {words}
      {error.serverCode ? <span className="mono server-code">{` ${error.serverCode}`}</span> : null}
    </span>
  );
}
