// Typed errors that cross the contract as plain data.

export const ERROR_CODES = [
  'AUTH_FAILED', // wrong user/password/token
  'CERT_UNTRUSTED', // unknown certificate that is not CA-valid: ask the user (TOFU)
  'CERT_CHANGED', // pinned fingerprint differs from the presented certificate
  'CONNECTION_FAILED', // network error, refused, dropped
  'TIMEOUT', // the server did not finish its answer in time (idle or overall deadline)
  'RESPONSE_TOO_LARGE', // the server's answer went over the size limit
  'SERVER_ERROR', // the hypervisor answered with an error (serverCode/serverParams)
  'KEYCHAIN_UNAVAILABLE',
  'PASSWORD_REQUIRED', // no password stored: ask for it
  'NOT_FOUND',
  'INVALID_INPUT',
  'UNSUPPORTED',
  'CANCELLED',
  'STORE_CORRUPT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface CertificateInfo {
  host: string;
  port: number;
  /** SHA-256 fingerprint, upper-case hex with colons (as `openssl x509 -fingerprint -sha256`) */
  fingerprint256: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** PEM of the leaf certificate, kept with the pin so traffic can be verified against it; empty for an SSH host key */
  pem: string;
  /** 'ssh-host-key' for an SSH server's key (Docker over SSH); absent for a TLS certificate */
  kind?: 'tls' | 'ssh-host-key';
}

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** the hypervisor's own error code, e.g. XAPI `VM_BAD_POWER_STATE`, a Docker HTTP status, a vSphere fault name */
  serverCode?: string;
  serverParams?: string[];
  /** for CERT_UNTRUSTED / CERT_CHANGED: the certificate the server presented */
  certificate?: CertificateInfo;
  /** for CERT_UNTRUSTED: the certificate is the pinned one (or a new one) but outside its validity dates */
  certificateValidity?: 'expired' | 'not-yet-valid';
  /** for CERT_CHANGED: the fingerprint we had pinned */
  pinnedFingerprint?: string;
  /** for INVALID_INPUT: the input field at fault (a descriptor field key, or an argument path) */
  field?: string;
  /** for XAPI HOST_IS_SLAVE and similar redirects */
  redirectTo?: string;
}

export class PolyvisorError extends Error {
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo, options?: { cause?: unknown }) {
    super(info.message, options);
    this.name = 'PolyvisorError';
    this.info = info;
  }
  get code(): ErrorCode {
    return this.info.code;
  }
}

export function isPolyvisorError(e: unknown, code?: ErrorCode): e is PolyvisorError {
  return e instanceof PolyvisorError && (code === undefined || e.info.code === code);
}

/** Turns anything thrown into ErrorInfo for the contract, never leaking stack traces or secrets. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof PolyvisorError) return e.info;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof (e as ErrorInfo).code === 'string') {
    const info = e as ErrorInfo;
    if (KNOWN_CODES.has(info.code)) return { ...info };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message };
}

const KNOWN_CODES = new Set<ErrorCode>(ERROR_CODES);
