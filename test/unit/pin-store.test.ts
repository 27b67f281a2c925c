// Pins against a real TLS server with a self-signed certificate: what the user
// accepted is what every later connection is verified against.

import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PinStore } from '../../electron/core/tls/pin-store';
import { fetchPresentedCertificate } from '../../electron/core/tls/probe';
import { tlsOptions, type TlsTrust } from '../../electron/core/tls/trust';

let home: string;
let server: tls.Server;
let port: number;
const certs: Array<{ cert: string; key: string }> = [];

/** Swaps the certificate the server presents, as a re-installed host would. */
function present(index: number): void {
  server.setSecureContext(certs[index]);
}

beforeAll(async () => {
  for (const cn of ['xen-a.test', 'impostor.test']) {
    const pems = await generate([{ name: 'commonName', value: cn }], { keySize: 2048 });
    certs.push({ cert: pems.cert, key: pems.private });
  }
  server = tls.createServer(certs[0], (s) => s.end('hello'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-pins-'));
  present(0);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function talk(trust: TlsTrust): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'xen-a.test', ...tlsOptions(trust) }, () => {
      let data = '';
      s.on('data', (d) => (data += d));
      s.on('end', () => resolve(data));
    });
    s.once('error', reject);
  });
}

describe('PinStore', () => {
  it('has no trust for an unknown endpoint, so verification fails', async () => {
    const pins = await PinStore.open(home);
    expect(pins.trustFor('127.0.0.1', port)).toEqual({});
    await expect(talk(pins.trustFor('127.0.0.1', port))).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('pins the presented certificate; connections verify against it, and the pin survives a restart', async () => {
    const pins = await PinStore.open(home);
    const presented = await fetchPresentedCertificate('127.0.0.1', port);
    const pinned = await pins.pin(presented);
    expect(pinned).toMatchObject({ host: '127.0.0.1', port, fingerprint256: presented.fingerprint256, pem: presented.pem });
    expect(pinned.subject).toContain('CN=xen-a.test');
    expect(Date.parse(pinned.acceptedAt)).not.toBeNaN();
    expect(await talk(pins.trustFor('127.0.0.1', port))).toBe('hello');

    const reopened = await PinStore.open(home);
    expect(reopened.get('127.0.0.1', port)).toEqual(pinned);
    expect(await talk(reopened.trustFor('127.0.0.1', port))).toBe('hello');
    expect(reopened.trustFor('127.0.0.1', port + 1)).toEqual({});
  });

  it('refuses a different certificate on a pinned endpoint', async () => {
    const pins = await PinStore.open(home);
    await pins.pin(await fetchPresentedCertificate('127.0.0.1', port));
    present(1);
    await expect(talk(pins.trustFor('127.0.0.1', port))).rejects.toThrow();
  });

  it('re-pinning replaces the old pin; forget removes it', async () => {
    const pins = await PinStore.open(home);
    await pins.pin(await fetchPresentedCertificate('127.0.0.1', port));
    present(1);
    const second = await pins.pin(await fetchPresentedCertificate('127.0.0.1', port));
    expect(pins.list()).toHaveLength(1);
    expect(pins.get('127.0.0.1', port)?.fingerprint256).toBe(second.fingerprint256);
    expect(await talk(pins.trustFor('127.0.0.1', port))).toBe('hello');
    expect(await pins.forget('127.0.0.1', port)).toBe(true);
    expect(await pins.forget('127.0.0.1', port)).toBe(false);
    expect((await PinStore.open(home)).list()).toEqual([]);
  });

  it('refuses to pin something that is not a certificate', async () => {
    const pins = await PinStore.open(home);
    const presented = await fetchPresentedCertificate('127.0.0.1', port);
    await expect(pins.pin({ ...presented, fingerprint256: 'AB:CD' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(pins.pin({ ...presented, pem: '' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });

  it('reads a pin an earlier version saved as "accepted despite its dates" as an ordinary pin: its dates are verified again', async () => {
    const presented = await fetchPresentedCertificate('127.0.0.1', port);
    const old = { ...presented, acceptedAt: new Date().toISOString(), allowInvalidDates: true };
    writeFileSync(path.join(home, 'known-certificates.json'), JSON.stringify({ version: 1, pins: [old] }));
    const pins = await PinStore.open(home);
    expect(pins.problem).toBeUndefined();
    expect(pins.get('127.0.0.1', port)).not.toHaveProperty('allowInvalidDates');
    expect(pins.trustFor('127.0.0.1', port)).toEqual({ pinnedFingerprint: presented.fingerprint256, pinnedPem: presented.pem });
    expect(await talk(pins.trustFor('127.0.0.1', port))).toBe('hello');
  });

  it('keeps an unreadable file aside and reports it', async () => {
    writeFileSync(path.join(home, 'known-certificates.json'), '{"version":1,"pins":[{"host":"a"}]}');
    const pins = await PinStore.open(home);
    expect(pins.list()).toEqual([]);
    expect(pins.problem?.message).toMatch(/pins › 1/);
    const kept = readdirSync(home).filter((f) => f.startsWith('known-certificates.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(home, kept[0]), 'utf8')).toContain('"host":"a"');
  });
});

describe('SSH host-key pins (Docker over SSH)', () => {
  // an ed25519 public key blob as ssh-keygen writes it (`ssh-ed25519 <base64>`)
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
  const line = `ssh-ed25519 ${blob.toString('base64')}`;
  const fingerprint = createHash('sha256').update(blob).digest('hex').toUpperCase().match(/.{2}/g)!.join(':');
  const key = { kind: 'ssh-host-key' as const, host: 'docker.test', port: 22, fingerprint256: fingerprint, subject: 'SSH host key of docker.test', issuer: '', validFrom: '', validTo: '', pem: line };

  it('pins a host key whose fingerprint is the SHA-256 of the key, and survives a restart', async () => {
    const pins = await PinStore.open(home);
    await pins.pin(key);
    expect((await PinStore.open(home)).trustFor('docker.test', 22)).toEqual({ pinnedFingerprint: fingerprint, pinnedPem: line });
  });

  it('refuses a host key that does not match its fingerprint, or that is not a key', async () => {
    const pins = await PinStore.open(home);
    await expect(pins.pin({ ...key, fingerprint256: 'AB:'.repeat(31) + 'AB' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(pins.pin({ ...key, pem: '' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
    await expect(pins.pin({ ...key, pem: 'rm -rf / AAAA' })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT' } });
  });
});
