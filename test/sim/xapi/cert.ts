// Self-signed server certificates for the simulator (EC P-256: fast to make).
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

export interface ServerCert {
  key: string;
  cert: string;
  /** SHA-256, upper-case hex with colons */
  fingerprint256: string;
}

export async function makeSelfSignedCert(host: string): Promise<ServerCert> {
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  const notAfterDate = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: host }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: isIp ? [{ type: 7, ip: host }] : [{ type: 2, value: host }] },
    ],
  });
  const fingerprint256 = new X509Certificate(pems.cert).fingerprint256;
  return { key: pems.private, cert: pems.cert, fingerprint256 };
}
