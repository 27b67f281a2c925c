// Docker engine failures → PolyvisorError: HTTP answers keep the engine's own status
// and message; transport failures become CONNECTION_FAILED (or a certificate error).

import { PolyvisorError } from '../../../../shared/errors';
import { certificateErrorFor } from '../../tls/classify';
import type { DockerEndpoint } from './connection';

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

/** Like dockerError, and a TLS failure becomes CERT_UNTRUSTED / CERT_CHANGED with the certificate shown. */
export async function classifyFailure(err: unknown, what: string, ep: DockerEndpoint, where: string): Promise<PolyvisorError> {
  if (err instanceof PolyvisorError) return err;
  if (ep.kind === 'tls') {
    // the engine gone before its certificate could be fetched: the original failure says more
    const certError = await certificateErrorFor(err, ep.host, ep.port, ep.trust).catch(() => null);
    if (certError) return certError;
  }
  return dockerError(err, what, where);
}

/** Map an error from dockerode; `what` names the operation for the message. */
export function dockerError(err: unknown, what: string, endpoint: string): PolyvisorError {
  if (err instanceof PolyvisorError) return err;
  const e = err as ModemError;
  if (typeof e?.statusCode === 'number' && e.statusCode >= 300 && e.statusCode < 400) {
    return new PolyvisorError(
      { code: 'SERVER_ERROR', message: `${what}: the Docker engine at ${endpoint} answered with a redirect (HTTP ${e.statusCode}), which its API never does`, serverCode: 'BAD_ANSWER' },
      { cause: err },
    );
  }
  if (/Max redirects exceeded/.test(e?.message ?? '')) {
    return new PolyvisorError(
      { code: 'SERVER_ERROR', message: `${what}: the Docker engine at ${endpoint} answered with a redirect, which its API never does`, serverCode: 'BAD_ANSWER' },
      { cause: err },
    );
  }
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
