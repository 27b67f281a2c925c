// One connection loop for every provider: open a session (log in and load
// everything), follow its changes, and when the stream fails go 'reconnecting',
// retry with capped exponential backoff and full jitter (every retry, the first
// too, waits a random time up to the current delay, so servers cut by one outage
// come back spread out) and resynchronise; stop with 'error' on a failure a retry
// cannot fix (wrong password, untrusted certificate, …).

import { PolyvisorError, isPolyvisorError, toErrorInfo, type ErrorCode, type ErrorInfo } from '../../../../shared/errors';
import type { ConnectionState } from '../../../../shared/model';
import { fullJitter, sleep } from '../../util/timing';
import type { ProviderConfig } from '../provider';

/** A logged-in session whose initial inventory has been published. */
export interface LiveSession {
  /** Follows changes until `signal` aborts (resolve) or the stream fails (throw). */
  follow(signal: AbortSignal): Promise<void>;
  /** Releases the session (log out, close sockets); must not throw for an already dead session. */
  close(): Promise<void>;
}

export interface LiveConnectionOptions {
  /** Logs in and publishes the whole inventory; `attempt` is 0 for the first connect, then 1, 2, … */
  open(signal: AbortSignal, attempt: number): Promise<LiveSession>;
  onState(state: ConnectionState, error?: ErrorInfo): void;
  backoff?: { minMs: number; maxMs: number };
  /** errors that end the loop instead of retrying; defaults to FATAL_CODES */
  isFatal?(err: unknown): boolean;
  log?: ProviderConfig['log'];
  /** for log lines: "XenServer 10.0.0.5:443" */
  name: string;
}

/** Failures the user has to act on: retrying cannot fix them. */
export const FATAL_CODES: readonly ErrorCode[] = ['AUTH_FAILED', 'CERT_UNTRUSTED', 'CERT_CHANGED', 'PASSWORD_REQUIRED', 'RESPONSE_TOO_LARGE'];

export function isFatalError(err: unknown): boolean {
  return isPolyvisorError(err) && FATAL_CODES.includes(err.code);
}

export class LiveConnection {
  private stop: AbortController | null = null;
  private current: LiveSession | null = null;
  private loop: Promise<void> | null = null;

  constructor(private readonly opts: LiveConnectionOptions) {}

  /** The live session, while there is one (not while reconnecting). */
  get session(): LiveSession | null {
    return this.current;
  }

  get active(): boolean {
    return this.stop !== null;
  }

  /** Opens the first session; rejects with the server's error when that fails. */
  async connect(): Promise<void> {
    if (this.stop) return;
    const stop = new AbortController();
    this.stop = stop;
    let session: LiveSession;
    try {
      session = await this.opts.open(stop.signal, 0);
    } catch (err) {
      if (this.stop === stop) this.stop = null;
      throw err;
    }
    if (stop.signal.aborted) {
      await this.closeQuietly(session);
      throw new PolyvisorError({ code: 'CANCELLED', message: 'The connection was closed while connecting.' });
    }
    this.current = session;
    this.loop = this.run(session, stop.signal);
  }

  async disconnect(): Promise<void> {
    const stop = this.stop;
    if (!stop) return;
    this.stop = null;
    stop.abort();
    const session = this.current;
    this.current = null;
    if (session) await this.closeQuietly(session);
    await this.loop;
    this.loop = null;
  }

  private async run(first: LiveSession, signal: AbortSignal): Promise<void> {
    let session: LiveSession | null = first;
    while (session && !signal.aborted) {
      let cause: unknown;
      try {
        await session.follow(signal);
        if (signal.aborted) return;
        cause = new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'The server ended the update stream.' });
      } catch (err) {
        if (signal.aborted) return;
        cause = err;
      }
      this.current = null;
      await this.closeQuietly(session);
      if (this.fatal(cause)) {
        this.fail(cause, signal);
        return;
      }
      this.log('warn', `update stream interrupted: ${toErrorInfo(cause).message}`);
      this.opts.onState('reconnecting', toErrorInfo(cause));
      session = await this.reopen(signal);
    }
  }

  private async reopen(signal: AbortSignal): Promise<LiveSession | null> {
    const { minMs, maxMs } = this.opts.backoff ?? { minMs: 1_000, maxMs: 30_000 };
    for (let attempt = 1; !signal.aborted; attempt++) {
      await sleep(fullJitter(attempt, minMs, maxMs), signal);
      if (signal.aborted) return null;
      try {
        const session = await this.opts.open(signal, attempt);
        if (signal.aborted) {
          await this.closeQuietly(session);
          return null;
        }
        this.current = session;
        this.opts.onState('connected');
        return session;
      } catch (err) {
        if (signal.aborted) return null;
        if (this.fatal(err)) {
          this.fail(err, signal);
          return null;
        }
        this.log('debug', `reconnect attempt ${attempt} failed: ${toErrorInfo(err).message}`);
      }
    }
    return null;
  }

  private fatal(err: unknown): boolean {
    return (this.opts.isFatal ?? isFatalError)(err);
  }

  private fail(err: unknown, signal: AbortSignal): void {
    if (this.stop?.signal === signal) this.stop = null;
    this.opts.onState('error', toErrorInfo(err));
  }

  private async closeQuietly(session: LiveSession): Promise<void> {
    try {
      await session.close();
    } catch (err) {
      this.log('debug', `closing the session failed: ${toErrorInfo(err).message}`);
    }
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.opts.log?.(level, `${this.opts.name}: ${message}`);
  }
}
