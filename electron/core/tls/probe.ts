// Reads the certificate a server presents, to show it to the user before they
// decide to trust it (like SSH's first-connection prompt). This is the only
// place that completes a handshake without verifying the chain: it sends no
// application data and closes the socket as soon as it has the certificate.
// All traffic goes through tlsOptions() in trust.ts, which always verifies.

import net from 'node:net';
import tls from 'node:tls';
import type { CertificateInfo } from '../../../shared/errors';
import { PolyvisorError } from '../../../shared/errors';
import { normalizeFingerprint } from './trust';

export async function fetchPresentedCertificate(host: string, port: number, timeoutMs = 10_000): Promise<CertificateInfo> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new PolyvisorError({ code: 'CONNECTION_FAILED', message: `Timed out reading the certificate of ${host}:${port}` }));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate(false);
      socket.destroy();
      if (!cert || !cert.raw) {
        reject(new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${host}:${port} presented no certificate` }));
        return;
      }
      resolve(describeCertificate(host, port, cert));
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new PolyvisorError({ code: 'CONNECTION_FAILED', message: `Cannot reach ${host}:${port}: ${err.message}` }, { cause: err }));
    });
  });
}

export function describeCertificate(host: string, port: number, cert: tls.PeerCertificate): CertificateInfo {
  const b64 = cert.raw.toString('base64').match(/.{1,64}/g)!.join('\n');
  return {
    host,
    port,
    fingerprint256: normalizeFingerprint(cert.fingerprint256),
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    validFrom: new Date(cert.valid_from).toISOString(),
    validTo: new Date(cert.valid_to).toISOString(),
    pem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
  };
}

function formatName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}
