// Turns a failed TLS connection into the typed error the UI acts on:
// CERT_UNTRUSTED (first use: show the certificate), CERT_CHANGED (the pinned one
// differs), and — for either — the certificate's dates when they are not valid
// now, so an expired pinned certificate is shown as expired and can be accepted
// knowingly once, instead of being offered again and again as "untrusted".

import type { CertificateInfo } from '../../../shared/errors';
import { PolyvisorError } from '../../../shared/errors';
import { fetchPresentedCertificate } from './probe';
import { isCertificateError, normalizeFingerprint, type TlsTrust } from './trust';

export function validityOf(cert: Pick<CertificateInfo, 'validFrom' | 'validTo'>, now = Date.now()): 'expired' | 'not-yet-valid' | undefined {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  if (Number.isFinite(to) && now > to) return 'expired';
  if (Number.isFinite(from) && now < from) return 'not-yet-valid';
  return undefined;
}

export async function certificateErrorFor(err: unknown, host: string, port: number, trust: TlsTrust): Promise<PolyvisorError | null> {
  if (!isCertificateError(err)) return null;
  const certificate = await fetchPresentedCertificate(host, port);
  const pinned = trust.pinnedFingerprint ? normalizeFingerprint(trust.pinnedFingerprint) : undefined;
  const validity = validityOf(certificate);
  if (pinned && pinned !== certificate.fingerprint256) {
    return new PolyvisorError({
      code: 'CERT_CHANGED',
      message: `The certificate of ${host}:${port} has changed since you trusted it. It may have been replaced, or someone may be intercepting the connection.`,
      certificate,
      pinnedFingerprint: pinned,
      ...(validity ? { certificateValidity: validity } : {}),
    });
  }
  if (pinned && validity) {
    const when = validity === 'expired' ? `expired on ${certificate.validTo}` : `is not valid before ${certificate.validFrom}`;
    return new PolyvisorError({
      code: 'CERT_UNTRUSTED',
      message: `The certificate you trusted for ${host}:${port} ${when}. It is the same certificate (same fingerprint); accept it again only if you know why it was not renewed.`,
      certificate,
      certificateValidity: validity,
    });
  }
  return new PolyvisorError({
    code: 'CERT_UNTRUSTED',
    message: `The certificate of ${host}:${port} is not signed by a trusted authority${validity === 'expired' ? ' and has expired' : validity ? ' and is not valid yet' : ''}. Check its fingerprint before you trust it.`,
    certificate,
    ...(validity ? { certificateValidity: validity } : {}),
  });
}
