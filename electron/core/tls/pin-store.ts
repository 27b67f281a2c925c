// Trust-on-first-use pins, one per host:port, at <home>/known-certificates.json.
// A pin is the exact certificate the user accepted after seeing its fingerprint;
// providers get it through trustFor() and verify every connection against it.

import path from 'node:path';
import type { StoreProblem } from '../../../shared/contract';
import { PolyvisorError, type CertificateInfo } from '../../../shared/errors';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { loadVersionedFile, parseWith, saveVersionedFile } from '../util/versioned-json-file';
import { SerialQueue } from '../util/serial-queue';
import { normalizeFingerprint, type TlsTrust } from './trust';

export const PINS_FILE = 'known-certificates.json';
const SCHEMA_VERSION = 1;

export interface PinnedCertificate extends CertificateInfo {
  /** ISO-8601 time the user accepted it */
  acceptedAt: string;
  /** the user accepted it knowing it was expired or not yet valid */
  allowInvalidDates?: boolean;
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
  allowInvalidDates: z.boolean().optional(),
});

const PinsFileSchema = z.object({ pins: z.array(PinSchema).max(100_000) }).transform((doc) => doc.pins as PinnedCertificate[]);

export class PinStore {
  private pins: PinnedCertificate[];
  private readonly queue = new SerialQueue();

  private constructor(
    readonly file: string,
    pins: PinnedCertificate[],
    readonly problem?: StoreProblem,
  ) {
    this.pins = pins;
  }

  static async open(home: string): Promise<PinStore> {
    const file = path.join(home, PINS_FILE);
    const loaded = await loadVersionedFile<PinnedCertificate[]>({ file, version: SCHEMA_VERSION, empty: () => [], parse: parseWith(PinsFileSchema) });
    return new PinStore(file, loaded.value, loaded.problem);
  }

  list(): PinnedCertificate[] {
    return this.pins.map((p) => ({ ...p }));
  }

  get(host: string, port: number): PinnedCertificate | undefined {
    const p = this.pins.find((x) => sameEndpoint(x, host, port));
    return p && { ...p };
  }

  /** The TLS policy input for a provider connecting to host:port. */
  trustFor(host: string, port: number): TlsTrust {
    const p = this.get(host, port);
    if (!p) return {};
    return { pinnedFingerprint: p.fingerprint256, pinnedPem: p.pem, ...(p.allowInvalidDates ? { pinnedAllowsInvalidDates: true } : {}) };
  }

  /**
   * Pins (or re-pins, replacing the old one) a certificate or SSH host key for its host:port.
   * `allowInvalidDates`: the user accepted it although it is expired or not yet valid.
   */
  pin(cert: CertificateInfo, options: { allowInvalidDates?: boolean } = {}): Promise<PinnedCertificate> {
    const fp = normalizeFingerprint(cert.fingerprint256);
    const problem = fp.length !== 95 ? 'This is not a SHA-256 fingerprint.' : pinMaterialProblem(cert, fp);
    if (problem) return Promise.reject(new PolyvisorError({ code: 'INVALID_INPUT', message: problem }));
    const pinned: PinnedCertificate = {
      ...cert,
      fingerprint256: fp,
      acceptedAt: new Date().toISOString(),
      ...(options.allowInvalidDates ? { allowInvalidDates: true } : {}),
    };
    return this.queue.run(async () => {
      const next = [...this.pins.filter((x) => !sameEndpoint(x, cert.host, cert.port)), pinned];
      await saveVersionedFile(this.file, SCHEMA_VERSION, { pins: next });
      this.pins = next;
      return { ...pinned };
    });
  }

  /** true when there was a pin to forget */
  forget(host: string, port: number): Promise<boolean> {
    return this.queue.run(async () => {
      const next = this.pins.filter((x) => !sameEndpoint(x, host, port));
      if (next.length === this.pins.length) return false;
      await saveVersionedFile(this.file, SCHEMA_VERSION, { pins: next });
      this.pins = next;
      return true;
    });
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
