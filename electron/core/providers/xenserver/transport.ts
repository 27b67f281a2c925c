// What a XAPI wire transport (JSON-RPC or XML-RPC) offers the session layer.

import { PolyvisorError } from '../../../../shared/errors';
import type { TlsTrust } from '../../tls/trust';
import type { Limits } from '../common/limits';

export type TransportKind = 'jsonrpc' | 'xmlrpc';

export interface TransportTarget {
  host: string;
  port: number;
  trust: TlsTrust;
  /** size and time limits on the server's answers */
  limits: Limits;
}

/** How long one call may take. */
export interface CallTiming {
  /** the whole call, answer included */
  deadlineMs: number;
  /** the longest silence before or within the answer (a long poll is silent while it waits) */
  idleMs: number;
  /** ends this call only (the transport stays usable) */
  signal?: AbortSignal;
}

export type RecordTransform = (record: Record<string, unknown>) => Record<string, unknown>;

export interface XapiTransport {
  readonly kind: TransportKind;
  /**
   * Resolves with the call's value, read whole (within limits.maxBufferedBytes). Rejects with
   * PolyvisorError: SERVER_ERROR (XAPI failure), CONNECTION_FAILED (network/TLS, cause kept;
   * or an answer that is not XAPI), TIMEOUT, RESPONSE_TOO_LARGE, or UnsupportedTransportError.
   */
  call(method: string, params: unknown[], timing: CallTiming): Promise<unknown>;
  /**
   * For `<class>.get_all_records`: the ref → record map, each record passed through
   * `transform` as soon as it is read, the answer parsed as it streams in (within
   * limits.maxStreamedBytes, so the whole body never sits in memory).
   */
  callRecords(method: string, params: unknown[], transform: RecordTransform, timing: CallTiming): Promise<Map<string, Record<string, unknown>>>;
  /** Aborts every pending call (including a long poll) and frees the sockets. */
  close(): void;
}

/** The server does not speak this transport (e.g. no /jsonrpc on an old host); typed, so it is never INTERNAL. */
export class UnsupportedTransportError extends PolyvisorError {
  constructor(
    readonly transport: TransportKind,
    detail: string,
  ) {
    super({ code: 'CONNECTION_FAILED', message: `The server does not offer ${transport}: ${detail}` });
  }
}

/** XAPI parameters typed `float` (e.g. event.from's timeout): XML-RPC needs <double>, not <int>. */
export class XapiDouble {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

/** XAPI parameters typed `int` (64-bit): a JSON number, but a string in XML-RPC (XAPI's wire form for ints). */
export class XapiInt {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}
