// One TLS policy for every provider: a certificate is accepted when it is
// CA-valid for the host, or when it is exactly the certificate the user pinned
// (trust on first use, per host:port), and in either case within its dates.
// Verification is never switched off: an expired certificate is refused even
// when pinned (Node cannot verify a chain while ignoring only its dates).

import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { PeerCertificate } from 'node:tls';

export interface TlsTrust {
  /** SHA-256 fingerprint the user accepted for this host:port (upper-case hex, colons) */
  pinnedFingerprint?: string;
  /** PEM of the pinned certificate: added as a trust anchor so a self-signed leaf verifies */
  pinnedPem?: string;
  /** extra CA certificates (PEM), e.g. a Docker engine's ca.pem */
  extraCa?: string[];
  /** client certificate and key (PEM), e.g. Docker TLS client auth */
  clientCert?: string;
  clientKey?: string;
}

export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? '';
}

/**
 * The trust anchors of a policy as one secure context: Node's bundled root store (parsed
 * once per process and shared) plus the pinned certificate and any extra CA. Handing the
 * root store over as a `ca` list instead makes OpenSSL parse its ~140 PEMs again for every
 * context — about 0.1 s of main-thread time per connection attempt, seconds when a fleet
 * reconnects at once. Verification is the same: roots + the extra anchors.
 */
export function secureContextFor(trust: TlsTrust): tls.SecureContext {
  const context = tls.createSecureContext({ cert: trust.clientCert, key: trust.clientKey });
  const anchors = [...(trust.extraCa ?? []), ...(trust.pinnedPem ? [trust.pinnedPem] : [])];
  // addCACert is what createSecureContext itself calls for each `ca` entry; on a context that
  // uses the shared root store it first takes its own copy of that store, then adds the anchor
  for (const pem of anchors) (context.context as { addCACert(pem: string): void }).addCACert(pem);
  return context;
}

/** Options for tls.connect / https.Agent that implement the policy. */
export function tlsOptions(trust: TlsTrust): tls.ConnectionOptions {
  const pinned = trust.pinnedFingerprint ? normalizeFingerprint(trust.pinnedFingerprint) : undefined;
  return {
    secureContext: secureContextFor(trust),
    rejectUnauthorized: true,
    checkServerIdentity(hostname: string, cert: PeerCertificate) {
      // A pinned self-signed certificate rarely names the address it is reached by:
      // the exact fingerprint match is the identity check.
      if (pinned && normalizeFingerprint(cert.fingerprint256) === pinned) return undefined;
      return tls.checkServerIdentity(hostname, cert);
    },
  };
}

export function httpsAgent(trust: TlsTrust, extra: https.AgentOptions = {}): https.Agent {
  // One secure context per agent (never the root store as a `ca` list: it would also become
  // part of https.Agent's pool key, a ~200 KB string built on every request).
  return new https.Agent({ keepAlive: true, maxSockets: 8, ...tlsOptions(trust), ...extra });
}

/** Resolves with a TLS socket once the server has proved to be trusted (CA-valid, or the pinned certificate). */
export function openTlsSocket(o: { host: string; port: number; trust: TlsTrust; timeoutMs?: number }): Promise<tls.TLSSocket> {
  const socket = tls.connect({
    ...tlsOptions(o.trust),
    host: o.host,
    port: o.port,
    servername: net.isIP(o.host) ? undefined : o.host,
  });
  return new Promise((resolve, reject) => {
    const timer = o.timeoutMs ? setTimeout(() => socket.destroy(new Error(`no TLS handshake within ${Math.round(o.timeoutMs! / 1000)} s`)), o.timeoutMs) : undefined;
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

const CERT_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** True when an error (possibly wrapped by axios/undici) is a certificate verification failure. */
export function isCertificateError(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CERT_ERROR_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
