// Size and time limits on everything a server sends, in one place. A server we
// trust with a password may still be broken or hostile: no answer may exhaust
// memory, grow a buffer without bound, or hold a request open forever.
//
// Why these numbers:
// - Answers read whole (a vSphere SOAP page, a Proxmox JSON answer, an XML-RPC
//   reply) become one string: V8 refuses strings over ~512 MiB (the crash that
//   ERR_STRING_TOO_LONG was). 256 MiB leaves room for the parse and is ~8× the
//   largest whole answer measured for a 50,000-guest estate (see each provider's note).
// - Answers parsed as they arrive (XAPI get_all_records) keep only what the
//   inventory needs, so their size costs time, not memory: 2 GiB still takes a
//   50,000-VM pool with its snapshots and stops a server that never ends its answer.
// - Event streams are lines (Docker) or long polls: one event over 4 MiB is not an event.
// - A request may be silent for at most 60 s (the idle timeout; long polls add
//   their own wait) and must finish within its overall deadline (10 min by
//   default: a large pool's first load is the slowest thing we ask for).

import { setMaxListeners } from 'node:events';
import type { Readable } from 'node:stream';
import { PolyvisorError } from '../../../../shared/errors';

export const MiB = 1024 * 1024;

export const LIMITS: Readonly<{
  maxBufferedBytes: number;
  maxStreamedBytes: number;
  maxEventLineBytes: number;
  idleTimeoutMs: number;
  requestDeadlineMs: number;
}> = {
  maxBufferedBytes: 256 * MiB,
  maxStreamedBytes: 2048 * MiB,
  maxEventLineBytes: 4 * MiB,
  idleTimeoutMs: 60_000,
  requestDeadlineMs: 10 * 60_000,
};

export type Limits = typeof LIMITS;

/** The limits for one server: the defaults, with whatever its configuration lowers or raises. */
export function limitsFor(overrides: Partial<Limits> | undefined): Limits {
  return { ...LIMITS, ...(overrides ?? {}) };
}

export function responseTooLarge(where: string, limitBytes: number): PolyvisorError {
  return new PolyvisorError({
    code: 'RESPONSE_TOO_LARGE',
    message: `${where} sent an answer larger than ${formatBytes(limitBytes)}; Polyvisor stopped reading it.`,
  });
}

export function timedOut(where: string, ms: number, kind: 'idle' | 'deadline'): PolyvisorError {
  const seconds = Math.round(ms / 1000);
  return new PolyvisorError({
    code: 'TIMEOUT',
    message:
      kind === 'idle'
        ? `${where} stopped sending for ${seconds} s in the middle of an answer.`
        : `${where} did not finish its answer within ${seconds} s.`,
  });
}

/** Counts bytes as they arrive and throws RESPONSE_TOO_LARGE past the limit. */
export class ByteBudget {
  private used = 0;
  constructor(
    private readonly limit: number,
    private readonly where: string,
  ) {}

  spend(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limit) throw responseTooLarge(this.where, this.limit);
  }

  /** Refuses an answer whose declared Content-Length is over the limit before a byte of it is read. */
  checkDeclared(contentLength: string | undefined): void {
    const declared = contentLength === undefined ? NaN : Number(contentLength);
    if (Number.isFinite(declared) && declared > this.limit) throw responseTooLarge(this.where, this.limit);
  }

  get spent(): number {
    return this.used;
  }
}

/** Reads a whole body within a size limit; the stream is destroyed when the limit is passed. */
export async function readLimited(stream: Readable, where: string, maxBytes: number = LIMITS.maxBufferedBytes): Promise<Buffer> {
  const budget = new ByteBudget(maxBytes, where);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      budget.spend(buf.length);
      chunks.push(buf);
    }
  } catch (err) {
    stream.destroy();
    throw err;
  }
  return Buffer.concat(chunks);
}

/** Splits a byte stream into lines of at most `maxLineBytes` (the line feed excluded). */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly where: string,
    private readonly maxLineBytes: number = LIMITS.maxEventLineBytes,
  ) {}

  /** The complete lines in this chunk (and what came before it); throws RESPONSE_TOO_LARGE on an overlong line. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.take(chunk.subarray(start, nl));
      lines.push(Buffer.concat(this.pending, this.pendingBytes).toString('utf8'));
      this.pending = [];
      this.pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length) this.take(chunk.subarray(start));
    return lines;
  }

  /** What is left after the stream ended (a last line without a line feed). */
  rest(): string {
    const text = Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    return text;
  }

  private take(part: Buffer): void {
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.maxLineBytes) {
      this.pending = [];
      this.pendingBytes = 0;
      throw responseTooLarge(this.where, this.maxLineBytes);
    }
    if (part.length) this.pending.push(part);
  }
}

/**
 * An AbortSignal that fires when `ms` have passed (reason: TIMEOUT) or any of `others` fires.
 * `clear()` stops the clock once the answer is complete.
 */
export function deadlineSignal(where: string, ms: number, ...others: Array<AbortSignal | undefined>): { signal: AbortSignal; clear(): void } {
  // one controller, a timer and once-listeners: AbortSignal.any costs twice as much per request in Node 20
  const own = new AbortController();
  const timer = setTimeout(() => own.abort(timedOut(where, ms, 'deadline')), ms);
  timer.unref?.();
  const follows: Array<() => void> = [];
  for (const other of others) {
    if (!other) continue;
    if (other.aborted) {
      own.abort(other.reason);
      break;
    }
    const forward = () => own.abort(other.reason);
    // a long-lived signal (a transport's "closed") serves many requests at once; each removes its listener in clear()
    setMaxListeners(0, other);
    other.addEventListener('abort', forward, { once: true });
    follows.push(() => other.removeEventListener('abort', forward));
  }
  return {
    signal: own.signal,
    clear: () => {
      clearTimeout(timer);
      for (const stop of follows) stop();
    },
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${+(bytes / (1024 * MiB)).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${+(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
