// A logged-in XAPI session: picks the transport (JSON-RPC first, XML-RPC when the
// host has no /jsonrpc), follows HOST_IS_SLAVE to the pool master, and turns
// login and TLS failures into the typed errors the UI acts on.

import { PolyvisorError, isPolyvisorError } from '../../../../shared/errors';
import { certificateErrorFor } from '../../tls/classify';
import type { TlsTrust } from '../../tls/trust';
import { isXapiFailure } from './errors';
import { UnsupportedTransportError, type TransportKind, type XapiTransport } from './transport';
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
  callTimeoutMs?: number;
  /** aborts a login in progress (disconnect while connecting) */
  signal?: AbortSignal;
}

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
    private readonly callTimeoutMs?: number,
  ) {}

  get transportKind(): TransportKind {
    return this.transport.kind;
  }

  /** Calls `method(session, ...args)`. */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    return this.transport.call(method, [this.ref, ...args], this.callTimeoutMs) as Promise<T>;
  }

  /** `<class>.get_all_records`, each record through `transform` as it is read. */
  allRecords(
    cls: string,
    transform: (record: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<Record<string, Record<string, unknown>>> {
    return this.transport.callRecords(`${cls}.get_all_records`, [this.ref], transform, this.callTimeoutMs);
  }

  callWithTimeout<T = unknown>(timeoutMs: number, method: string, ...args: unknown[]): Promise<T> {
    return this.transport.call(method, [this.ref, ...args], timeoutMs) as Promise<T>;
  }

  /** Best-effort logout (bounded), then frees the sockets. */
  async close(): Promise<void> {
    try {
      await this.transport.call('session.logout', [this.ref], 2_000);
    } catch {
      // the session dies with the server side anyway
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
    const trust = host === target.host ? target.trust : trustForRedirect(target, host);
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

/** CA settings carry over to the master; a pin belongs to one address, so the master's own pin (if any) applies. */
function trustForRedirect(target: SessionTarget, host: string): TlsTrust {
  const { pinnedFingerprint: _fp, pinnedPem: _pem, ...caSettings } = target.trust;
  return { ...caSettings, ...target.trustFor?.(host, target.port) };
}

async function loginAt(target: SessionTarget, host: string, trust: TlsTrust): Promise<XapiSession> {
  const kinds: TransportKind[] = target.transport === 'auto' ? ['jsonrpc', 'xmlrpc'] : [target.transport];
  let unsupported: UnsupportedTransportError | undefined;
  for (const kind of kinds) {
    const transportTarget = { host, port: target.port, trust };
    const transport = kind === 'jsonrpc' ? createJsonRpcTransport(transportTarget) : createXmlRpcTransport(transportTarget);
    const abort = () => transport.close();
    target.signal?.addEventListener('abort', abort);
    try {
      if (target.signal?.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'The connection was closed while logging in.' });
      const ref = await transport.call(
        'session.login_with_password',
        [target.username, target.password, API_VERSION, ORIGINATOR],
        target.callTimeoutMs,
      );
      return new XapiSession(transport, String(ref), host, target.port, target.callTimeoutMs);
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
