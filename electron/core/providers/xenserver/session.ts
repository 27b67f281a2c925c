// A logged-in XAPI session: picks the transport (JSON-RPC first, XML-RPC when the
// host has no /jsonrpc), follows HOST_IS_SLAVE to the pool master, and turns
// login and TLS failures into the typed errors the UI acts on.

import { PolyvisorError, isPolyvisorError } from '../../../../shared/errors';
import { certificateErrorFor } from '../../tls/classify';
import type { TlsTrust } from '../../tls/trust';
import type { Limits } from '../common/limits';
import { malformedAnswer } from './answers';
import { isXapiFailure } from './errors';
import { trustAt } from './trust-at';
import { UnsupportedTransportError, type CallTiming, type RecordTransform, type TransportKind, type XapiTransport } from './transport';
import { createJsonRpcTransport } from './transport-jsonrpc';
import { createXmlRpcTransport } from './transport-xmlrpc';

export type TransportChoice = TransportKind | 'auto';

export interface SessionTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  trust: TlsTrust;
  /** trust for the pool master's address after a HOST_IS_SLAVE redirect */
  trustFor?: (host: string, port: number) => TlsTrust;
  transport: TransportChoice;
  /** the deadline of an ordinary call (the user's option, within limits.requestDeadlineMs) */
  callTimeoutMs: number;
  limits: Limits;
  /** aborts a login in progress (disconnect while connecting) */
  signal?: AbortSignal;
}

/** How long a logout may take: it is a courtesy, the session dies with the server side anyway. */
const LOGOUT_TIMING: CallTiming = { deadlineMs: 2_000, idleMs: 2_000 };

const API_VERSION = '2.0';
const ORIGINATOR = 'Polyvisor';
const MAX_REDIRECTS = 3;

export class XapiSession {
  constructor(
    private readonly transport: XapiTransport,
    readonly ref: string,
    /** the address actually logged in to: the pool master after a redirect */
    readonly host: string,
    readonly port: number,
    private readonly callTimeoutMs: number,
    private readonly limits: Limits,
  ) {}

  get transportKind(): TransportKind {
    return this.transport.kind;
  }

  /** Calls `method(session, ...args)` within the ordinary call deadline. */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    return this.transport.call(method, [this.ref, ...args], ordinaryTiming(this.callTimeoutMs, this.limits)) as Promise<T>;
  }

  /** `<class>.get_all_records`, each record through `transform` as it is read; the slowest call there is. */
  allRecords(cls: string, transform: RecordTransform, signal?: AbortSignal): Promise<Map<string, Record<string, unknown>>> {
    const timing = { deadlineMs: this.limits.requestDeadlineMs, idleMs: this.limits.idleTimeoutMs, signal };
    return this.transport.callRecords(`${cls}.get_all_records`, [this.ref], transform, timing);
  }

  /** A call the server may hold for `waitS` seconds before it answers (event.from). */
  longPoll<T = unknown>(waitS: number, signal: AbortSignal | undefined, method: string, ...args: unknown[]): Promise<T> {
    const ms = waitS * 1000 + this.limits.idleTimeoutMs;
    return this.transport.call(method, [this.ref, ...args], { deadlineMs: ms, idleMs: ms, signal }) as Promise<T>;
  }

  /** Logs out (bounded; failure only logged by the caller's choice), then frees the sockets. */
  async close(): Promise<void> {
    try {
      await this.transport.call('session.logout', [this.ref], LOGOUT_TIMING);
    } finally {
      this.transport.close();
    }
  }

  /** Drops the connection at once (aborts a pending long poll). */
  abort(): void {
    this.transport.close();
  }
}

export async function openSession(target: SessionTarget): Promise<XapiSession> {
  let host = target.host;
  for (let redirects = 0; ; redirects++) {
    const trust = trustAt(target, host, target.port);
    try {
      return await loginAt(target, host, trust);
    } catch (err) {
      if (isXapiFailure(err, 'HOST_IS_SLAVE') && redirects < MAX_REDIRECTS) {
        const master = err.info.serverParams?.[0];
        if (master && master !== host) {
          host = master;
          continue;
        }
      }
      const classified = await classify(err, host, target.port, trust);
      // pins are per address: a certificate problem at the master names the master
      throw host === target.host ? classified : withRedirect(classified, host);
    }
  }
}


async function loginAt(target: SessionTarget, host: string, trust: TlsTrust): Promise<XapiSession> {
  const kinds: TransportKind[] = target.transport === 'auto' ? ['jsonrpc', 'xmlrpc'] : [target.transport];
  let unsupported: UnsupportedTransportError | undefined;
  for (const kind of kinds) {
    const transportTarget = { host, port: target.port, trust, limits: target.limits };
    const transport = kind === 'jsonrpc' ? createJsonRpcTransport(transportTarget) : createXmlRpcTransport(transportTarget);
    const abort = () => transport.close();
    target.signal?.addEventListener('abort', abort);
    try {
      if (target.signal?.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'The connection was closed while logging in.' });
      const ref = await transport.call(
        'session.login_with_password',
        [target.username, target.password, API_VERSION, ORIGINATOR],
        ordinaryTiming(target.callTimeoutMs, target.limits),
      );
      if (typeof ref !== 'string' || ref === '') throw malformedAnswer(`${host}:${target.port}`, 'the login gave no session reference');
      return new XapiSession(transport, ref, host, target.port, target.callTimeoutMs, target.limits);
    } catch (err) {
      transport.close();
      if (err instanceof UnsupportedTransportError) {
        unsupported = err;
        continue;
      }
      throw err;
    } finally {
      target.signal?.removeEventListener('abort', abort);
    }
  }
  throw new PolyvisorError({
    code: 'CONNECTION_FAILED',
    message: `${host}:${target.port} does not answer as a XenServer/XCP-ng host (${unsupported?.message ?? 'no usable transport'}).`,
  });
}

async function classify(err: unknown, host: string, port: number, trust: TlsTrust): Promise<unknown> {
  if (isPolyvisorError(err, 'CONNECTION_FAILED')) {
    try {
      const certError = await certificateErrorFor(err, host, port, trust);
      if (certError) return certError;
    } catch (probeError) {
      return probeError;
    }
  }
  return err;
}

function withRedirect(err: unknown, host: string): unknown {
  if (!(err instanceof PolyvisorError) || err.info.redirectTo) return err;
  return new PolyvisorError({ ...err.info, redirectTo: host }, { cause: err.cause });
}

function ordinaryTiming(callTimeoutMs: number, limits: Limits): CallTiming {
  const deadlineMs = Math.min(callTimeoutMs, limits.requestDeadlineMs);
  return { deadlineMs, idleMs: Math.min(limits.idleTimeoutMs, deadlineMs) };
}
