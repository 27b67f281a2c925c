// Turns a failed TLS connection into the typed error the UI acts on:
// CERT_UNTRUSTED (first use: show the certificate), CERT_CHANGED (the pinned one
// differs), and — for either — the certificate's dates when they are not valid
// now: such a certificate is shown with its dates and cannot be accepted (TLS is
// verified or pinned, never switched off); the server's certificate must be renewed.

import type { CertificateInfo } from '../../../shared/errors';
import { PolyvisorError } from '../../../shared/errors';
import { fetchPresentedCertificate } from './probe';
import { isCertificateError, normalizeFingerprint, type TlsTrust } from './trust';

type Validity = 'expired' | 'not-yet-valid';

export function validityOf(cert: Pick<CertificateInfo, 'validFrom' | 'validTo'>, now = Date.now()): Validity | undefined {
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
  if (validity) {
    return new PolyvisorError({
      code: 'CERT_UNTRUSTED',
      message: `${pinned ? 'The certificate you trusted' : 'The certificate'} for ${host}:${port} ${outsideDates(certificate, validity)}. ${RENEW_ADVICE}`,
      certificate,
      certificateValidity: validity,
    });
  }
  return new PolyvisorError({
    code: 'CERT_UNTRUSTED',
    message: `The certificate of ${host}:${port} is not signed by a trusted authority. Check its fingerprint before you trust it.`,
    certificate,
  });
}

const RENEW_ADVICE = 'Polyvisor does not accept a certificate outside its dates: renew it on the server, then connect again.';

function outsideDates(certificate: CertificateInfo, validity: Validity): string {
  return validity === 'expired' ? `expired on ${certificate.validTo}` : `is not valid before ${certificate.validFrom}`;
}

/** The answer to accepting a certificate outside its dates. */
export function outsideDatesRefusal(certificate: CertificateInfo, validity: Validity): PolyvisorError {
  return new PolyvisorError({
    code: 'INVALID_INPUT',
    message: `The certificate of ${certificate.host}:${certificate.port} ${outsideDates(certificate, validity)} and cannot be trusted. ${RENEW_ADVICE}`,
    certificate,
    certificateValidity: validity,
  });
}
