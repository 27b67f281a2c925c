// Certificate handling of the vSphere provider: a self-signed vcsim is refused
// until its certificate is pinned (CERT_UNTRUSTED carries what to show the user),
// a different certificate behind a pin is CERT_CHANGED, and a pinned one connects.

import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPolyvisorError, type PolyvisorError } from '../../../shared/errors';
import { startVcsim, type Vcsim } from '../../peers/vcsim';
import { BUILD_AND_START_TIMEOUT, Mirror, providerFor, skipVcsim } from './harness';

async function failureOf(promise: Promise<unknown>): Promise<PolyvisorError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isPolyvisorError(err)) throw new Error(`expected a PolyvisorError, got ${String(err)}`);
  return err;
}

describe.skipIf(skipVcsim)('vSphere certificates', () => {
  let dir: string;
  let own: Vcsim; // vcsim's built-in self-signed certificate
  let custom: Vcsim; // a certificate we made
  let customPem: string;
  let customFingerprint: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-vcsim-tls-'));
    const pems = await generate([{ name: 'commonName', value: 'esxi.example.test' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'esxi.example.test' }] },
      ],
    });
    writeFileSync(path.join(dir, 'cert.pem'), pems.cert);
    writeFileSync(path.join(dir, 'key.pem'), pems.private, { mode: 0o600 });
    customPem = pems.cert;
    customFingerprint = new X509Certificate(pems.cert).fingerprint256;
    [own, custom] = await Promise.all([
      startVcsim({ model: 'esx' }),
      startVcsim({ model: 'esx', tlsCertFile: path.join(dir, 'cert.pem'), tlsKeyFile: path.join(dir, 'key.pem') }),
    ]);
  }, BUILD_AND_START_TIMEOUT);

  afterAll(async () => {
    await Promise.all([own?.stop(), custom?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unpinned self-signed certificate with CERT_UNTRUSTED and shows it', async () => {
    const err = await failureOf(providerFor(custom, { tls: {} }).connect());
    expect(err.code).toBe('CERT_UNTRUSTED');
    expect(err.info.certificate?.fingerprint256).toBe(customFingerprint);
    expect(err.info.certificate?.subject).toContain('esxi.example.test');
    expect(err.info.certificate?.pem.replace(/\s/g, '')).toBe(customPem.replace(/\s/g, ''));
  });

  it('connects once the certificate is pinned, even though it names another host', async () => {
    const provider = providerFor(custom, { tls: { pinnedFingerprint: customFingerprint, pinnedPem: customPem } });
    const mirror = new Mirror(provider);
    await provider.connect();
    expect(mirror.ofKind('vm').length).toBe(custom.counts.vm);
    await provider.disconnect();
  });

  it('reports CERT_CHANGED when the server presents another certificate than the pinned one', async () => {
    const err = await failureOf(providerFor(own, { tls: { pinnedFingerprint: customFingerprint, pinnedPem: customPem } }).connect());
    expect(err.code).toBe('CERT_CHANGED');
    expect(err.info.pinnedFingerprint).toBe(customFingerprint);
    expect(err.info.certificate?.fingerprint256).toBe(own.fingerprint256);
  });

  it('reports CONNECTION_FAILED when nothing listens', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const err = await failureOf(providerFor({ ...own, port }).connect());
    expect(err.code).toBe('CONNECTION_FAILED');
  });
});
