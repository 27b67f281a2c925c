// Turns a failed TLS connection into the typed error the UI acts on:
// CERT_UNTRUSTED (first use: show the certificate) or CERT_CHANGED (pinned one differs).

import { PolyvisorError } from '../../../shared/errors';
import { fetchPresentedCertificate } from './probe';
import { isCertificateError, normalizeFingerprint, type TlsTrust } from './trust';

export async function certificateErrorFor(
  err: unknown,
  host: string,
  port: number,
  trust: TlsTrust,
): Promise<PolyvisorError | null> {
  if (!isCertificateError(err)) return null;
  const certificate = await fetchPresentedCertificate(host, port);
  const pinned = trust.pinnedFingerprint ? normalizeFingerprint(trust.pinnedFingerprint) : undefined;
  if (pinned && pinned !== certificate.fingerprint256) {
    return new PolyvisorError({
      code: 'CERT_CHANGED',
      message: `The certificate of ${host}:${port} has changed since you trusted it. It may have been replaced, or someone may be intercepting the connection.`,
      certificate,
      pinnedFingerprint: pinned,
    });
  }
  return new PolyvisorError({
    code: 'CERT_UNTRUSTED',
    message: `The certificate of ${host}:${port} is not signed by a trusted authority. Check its fingerprint before you trust it.`,
    certificate,
  });
}
