// Trust-on-first-use pins, one per host:port, at <home>/known-certificates.json.
// A pin is the exact certificate the user accepted after seeing its fingerprint;
// providers get it through trustFor() and verify every connection against it.

import path from 'node:path';
import type { StoreProblem } from '../../../shared/contract';
import { PolyvisorError, type CertificateInfo } from '../../../shared/errors';
import { loadVersionedFile, saveVersionedFile } from '../util/versioned-json-file';
import { SerialQueue } from '../util/serial-queue';
import { normalizeFingerprint, type TlsTrust } from './trust';

export const PINS_FILE = 'known-certificates.json';
const SCHEMA_VERSION = 1;

export interface PinnedCertificate extends CertificateInfo {
  /** ISO-8601 time the user accepted it */
  acceptedAt: string;
}

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
    const loaded = await loadVersionedFile<PinnedCertificate[]>({ file, version: SCHEMA_VERSION, empty: () => [], parse: parsePins });
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
    return p ? { pinnedFingerprint: p.fingerprint256, pinnedPem: p.pem } : {};
  }

  /** Pins (or re-pins, replacing the old one) the certificate for its host:port. */
  pin(cert: CertificateInfo): Promise<PinnedCertificate> {
    const fp = normalizeFingerprint(cert.fingerprint256);
    if (fp.length !== 95 || !cert.pem.includes('BEGIN CERTIFICATE')) {
      return Promise.reject(new PolyvisorError({ code: 'INVALID_INPUT', message: 'This is not a complete certificate (SHA-256 fingerprint and PEM).' }));
    }
    const pinned: PinnedCertificate = { ...cert, fingerprint256: fp, acceptedAt: new Date().toISOString() };
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

function parsePins(doc: Record<string, unknown>): PinnedCertificate[] | string {
  if (!Array.isArray(doc.pins)) return 'The file has no "pins" list.';
  const out: PinnedCertificate[] = [];
  for (const [i, raw] of doc.pins.entries()) {
    const p = (raw ?? {}) as Record<string, unknown>;
    const strings = ['host', 'fingerprint256', 'pem', 'subject', 'issuer', 'validFrom', 'validTo', 'acceptedAt'] as const;
    for (const k of strings) if (typeof p[k] !== 'string') return `Pin ${i + 1} has no ${k}.`;
    if (typeof p.port !== 'number' || !Number.isInteger(p.port)) return `Pin ${i + 1} has no port.`;
    out.push({
      host: p.host as string,
      port: p.port,
      fingerprint256: normalizeFingerprint(p.fingerprint256 as string),
      pem: p.pem as string,
      subject: p.subject as string,
      issuer: p.issuer as string,
      validFrom: p.validFrom as string,
      validTo: p.validTo as string,
      acceptedAt: p.acceptedAt as string,
    });
  }
  return out;
}
