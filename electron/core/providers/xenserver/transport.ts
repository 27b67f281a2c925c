// What a XAPI wire transport (JSON-RPC or XML-RPC) offers the session layer.

import type { TlsTrust } from '../../tls/trust';

export type TransportKind = 'jsonrpc' | 'xmlrpc';

export interface TransportTarget {
  host: string;
  port: number;
  trust: TlsTrust;
}

export interface XapiTransport {
  readonly kind: TransportKind;
  /**
   * Resolves with the call's value. Rejects with PolyvisorError: SERVER_ERROR (XAPI failure),
   * CONNECTION_FAILED (network/TLS, cause kept), or UnsupportedTransportError.
   */
  call(method: string, params: unknown[], timeoutMs?: number): Promise<unknown>;
  /**
   * For `<class>.get_all_records`: the ref → record map, each record passed through
   * `transform` as soon as it is read (JSON-RPC reads them while the body streams in).
   */
  callRecords(
    method: string,
    params: unknown[],
    transform: (record: Record<string, unknown>) => Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<Record<string, Record<string, unknown>>>;
  /** Aborts every pending call (including a long poll) and frees the sockets. */
  close(): void;
}

/** The server does not speak this transport (e.g. no /jsonrpc on an old host). */
export class UnsupportedTransportError extends Error {
  constructor(kind: TransportKind, detail: string) {
    super(`The server does not offer ${kind}: ${detail}`);
    this.name = 'UnsupportedTransportError';
  }
}

/** XAPI parameters typed `float` (e.g. event.from's timeout): XML-RPC needs <double>, not <int>. */
export class XapiDouble {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export const DEFAULT_CALL_TIMEOUT_MS = 120_000;
