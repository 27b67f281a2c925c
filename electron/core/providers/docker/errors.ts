// Docker engine failures → PolyvisorError: HTTP answers keep the engine's own status
// and message; transport failures become CONNECTION_FAILED (or a certificate error).

import { PolyvisorError } from '../../../../shared/errors';

interface ModemError {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  code?: string;
  level?: string;
  message?: string;
}

const TRANSPORT_CODES = new Set([
  'ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
  'ENOTFOUND', 'EAI_AGAIN', 'EACCES', 'ECONNABORTED', 'ERR_SOCKET_CLOSED', 'UND_ERR_SOCKET',
]);

// TLS alerts the engine sends when the client certificate is missing or not signed by its CA
const CLIENT_CERT_REFUSED = new Set([
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
]);

/** The engine's own message of an HTTP error (docker-modem puts it after " - "). */
export function engineMessage(err: unknown): string {
  const e = err as ModemError;
  if (e?.json && typeof e.json === 'object' && typeof e.json.message === 'string') return e.json.message.trim();
  const msg = e?.message ?? String(err);
  const idx = msg.indexOf(' - ');
  return (idx >= 0 ? msg.slice(idx + 3) : msg).trim();
}

export function isHttpError(err: unknown, status?: number): boolean {
  const code = (err as ModemError)?.statusCode;
  return typeof code === 'number' && (status === undefined || code === status);
}

/** Map an error from dockerode; `what` names the operation for the message. */
export function dockerError(err: unknown, what: string, endpoint: string): PolyvisorError {
  if (err instanceof PolyvisorError) return err;
  const e = err as ModemError;
  if (typeof e?.statusCode === 'number') {
    const message = engineMessage(err);
    return new PolyvisorError(
      { code: 'SERVER_ERROR', message: `${what}: ${message}`, serverCode: `HTTP_${e.statusCode}`, serverParams: [message] },
      { cause: err },
    );
  }
  if (e?.code && CLIENT_CERT_REFUSED.has(e.code)) {
    return new PolyvisorError(
      { code: 'AUTH_FAILED', message: `The Docker engine at ${endpoint} refused our client certificate (set a cert folder with cert.pem and key.pem it accepts)`, serverCode: e.code },
      { cause: err },
    );
  }
  if (e?.level === 'client-authentication') {
    return new PolyvisorError({ code: 'AUTH_FAILED', message: `SSH login to ${endpoint} was refused` }, { cause: err });
  }
  if ((e?.code && TRANSPORT_CODES.has(e.code)) || e?.level === 'client-socket' || e?.level === 'client-timeout') {
    return new PolyvisorError(
      { code: 'CONNECTION_FAILED', message: `Cannot reach the Docker engine at ${endpoint}: ${e.message ?? e.code}` },
      { cause: err },
    );
  }
  const message = e?.message ?? String(err);
  if (/socket hang up|EOF|closed/i.test(message)) {
    return new PolyvisorError({ code: 'CONNECTION_FAILED', message: `Connection to ${endpoint} dropped: ${message}` }, { cause: err });
  }
  return new PolyvisorError({ code: 'INTERNAL', message: `${what}: ${message}` }, { cause: err });
}
