// Trust-on-first-use pins, one per host:port, at <home>/known-certificates.json.
// A pin is the exact certificate the user accepted after seeing its fingerprint;
// providers get it through trustFor() and verify every connection against it.
// Shared with other processes like every profile file (util/profile-file.ts): the CLI's
// `server trust` reaches a running app through watch().

import path from 'node:path';
import type { StoreProblem } from '../../../shared/contract';
import { PolyvisorError, type CertificateInfo } from '../../../shared/errors';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FileLockOptions } from '../util/file-lock';
import { ProfileFile, ProfileFileStore, type ProfileWatchOptions } from '../util/profile-file';
import { parseWith } from '../util/versioned-json-file';
import { normalizeFingerprint, type TlsTrust } from './trust';

export const PINS_FILE = 'known-certificates.json';
const SCHEMA_VERSION = 1;

export interface PinnedCertificate extends CertificateInfo {
  /** ISO-8601 time the user accepted it */
  acceptedAt: string;
}

const PinSchema = z.object({
  host: z.string().min(1).max(1024),
  port: z.number().int().min(1).max(65535),
  fingerprint256: z.string().transform(normalizeFingerprint).refine((fp) => fp.length === 95, 'is not a SHA-256 fingerprint'),
  pem: z.string().max(64 * 1024),
  subject: z.string().max(4096),
  issuer: z.string().max(4096),
  validFrom: z.string().max(64),
  validTo: z.string().max(64),
  acceptedAt: z.string().max(64),
  kind: z.enum(['tls', 'ssh-host-key']).optional(),
  // written by earlier versions, which accepted an expired pinned certificate; read and dropped
  allowInvalidDates: z.boolean().optional(),
}).transform(({ allowInvalidDates: _dropped, ...pin }) => pin);

const PinsFileSchema = z.object({ pins: z.array(PinSchema).max(100_000) }).transform((doc) => doc.pins as PinnedCertificate[]);

export class PinStore extends ProfileFileStore<PinnedCertificate[]> {

  static async open(home: string, options: { lock?: FileLockOptions } = {}): Promise<PinStore> {
    const doc = await ProfileFile.open<PinnedCertificate[]>({
      file: path.join(home, PINS_FILE),
      version: SCHEMA_VERSION,
      empty: () => [],
      parse: parseWith(PinsFileSchema),
      body: (pins) => ({ pins }),
      lock: options.lock,
    });
    return new PinStore(doc);
  }

  list(): PinnedCertificate[] {
    return this.doc.current().map((p) => ({ ...p }));
  }

  get(host: string, port: number): PinnedCertificate | undefined {
    const p = this.doc.current().find((x) => sameEndpoint(x, host, port));
    return p && { ...p };
  }

  /** The TLS policy input for a provider connecting to host:port. */
  trustFor(host: string, port: number): TlsTrust {
    const p = this.get(host, port);
    if (!p) return {};
    return { pinnedFingerprint: p.fingerprint256, pinnedPem: p.pem };
  }

  /** Pins (or re-pins, replacing the old one) a certificate or SSH host key for its host:port. */
  pin(cert: CertificateInfo): Promise<PinnedCertificate> {
    const fp = normalizeFingerprint(cert.fingerprint256);
    const problem = fp.length !== 95 ? 'This is not a SHA-256 fingerprint.' : pinMaterialProblem(cert, fp);
    if (problem) return Promise.reject(new PolyvisorError({ code: 'INVALID_INPUT', message: problem }));
    const pinned: PinnedCertificate = {
      ...cert,
      fingerprint256: fp,
      acceptedAt: new Date().toISOString(),
    };
    return this.doc.update((current) => ({ next: [...current.filter((x) => !sameEndpoint(x, cert.host, cert.port)), pinned], result: { ...pinned } }));
  }

  /** true when there was a pin to forget */
  forget(host: string, port: number): Promise<boolean> {
    return this.doc.update((current) => {
      const next = current.filter((x) => !sameEndpoint(x, host, port));
      return next.length === current.length ? { next: current, result: false } : { next, result: true };
    });
  }

  /** Follows known-certificates.json: `listener` hears the endpoints whose pin another process added, changed or removed. */
  watch(listener: (endpoints: Array<{ host: string; port: number }>) => void, options: ProfileWatchOptions): void {
    this.follow(({ before, after }) => {
      const key = (p: PinnedCertificate) => `${p.host.toLowerCase()}:${p.port}`;
      const was = new Map(before.map((p) => [key(p), p.fingerprint256]));
      const now = new Map(after.map((p) => [key(p), p.fingerprint256]));
      const touched = [...before, ...after].filter((p) => was.get(key(p)) !== now.get(key(p)));
      const unique = new Map(touched.map((p) => [key(p), { host: p.host, port: p.port }]));
      if (unique.size) listener([...unique.values()]);
    }, options);
  }
}

function sameEndpoint(p: { host: string; port: number }, host: string, port: number): boolean {
  return p.host.toLowerCase() === host.toLowerCase() && p.port === port;
}

/** A TLS pin needs the certificate's PEM; an SSH pin the host key whose SHA-256 is the fingerprint. */
function pinMaterialProblem(cert: CertificateInfo, fp: string): string | null {
  if (cert.kind !== 'ssh-host-key') return cert.pem.includes('BEGIN CERTIFICATE') ? null : 'This is not a complete certificate (SHA-256 fingerprint and PEM).';
  const m = /^([a-z0-9@.-]+) ([A-Za-z0-9+/]+={0,2})$/.exec(cert.pem.trim());
  if (!m) return 'This is not an SSH host key ("<algorithm> <base64>").';
  const digest = normalizeFingerprint(createHash('sha256').update(Buffer.from(m[2], 'base64')).digest('hex'));
  return digest === fp ? null : 'The SSH host key does not match its fingerprint.';
}
