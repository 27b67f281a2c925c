// What a XAPI answer must look like, whatever the transport: anything else is a
// typed error naming the server, never a TypeError deep in the inventory code.

import { isUtf8 } from 'node:buffer';
import { PolyvisorError } from '../../../../shared/errors';
import { xapiFailure } from './errors';
import type { RecordTransform } from './transport';

/** An answer Polyvisor cannot read (not JSON/XML-RPC, not UTF-8, not the shape XAPI gives). */
export function malformedAnswer(where: string, detail: string): PolyvisorError {
  return new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${where} sent an answer that is not a XAPI answer: ${detail}.` });
}

/** More records in one answer than any real pool has (each costs memory however small its bytes). */
export function tooManyRecords(where: string, max: number): PolyvisorError {
  return new PolyvisorError({
    code: 'RESPONSE_TOO_LARGE',
    message: `${where} sent more than ${max.toLocaleString('en')} records in one answer; Polyvisor stopped reading it.`,
  });
}

/** A non-200 HTTP status where XAPI answers 200 (its errors travel inside the body). */
export function httpStatusError(where: string, status: number): PolyvisorError {
  return new PolyvisorError({
    code: 'SERVER_ERROR',
    message: `${where} answered HTTP ${status} instead of a XAPI answer.`,
    serverCode: `HTTP_${status}`,
  });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value);
}

/** A JSON-RPC answer read whole: its result, or the XAPI failure it carries. */
export function decodeJsonRpcAnswer(body: Buffer, where: string): unknown {
  if (!isUtf8(body)) throw malformedAnswer(where, 'it is not valid UTF-8');
  let answer: unknown;
  try {
    answer = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw malformedAnswer(where, `it is not JSON (${(err as Error).message.slice(0, 120)})`);
  }
  return jsonRpcResult(answer, where);
}

/** `{result}` (v2) / `{result, error: null}` (v1), or a failure: v1 `error: [CODE, …]`, v2 `error: {message: CODE, data: […]}`. */
export function jsonRpcResult(answer: unknown, where: string): unknown {
  if (!isPlainObject(answer)) throw malformedAnswer(where, 'it is not a JSON-RPC answer');
  const error = answer.error;
  if (error !== undefined && error !== null) throw xapiFailure(jsonRpcErrorDescription(error));
  return answer.result;
}

function jsonRpcErrorDescription(error: unknown): unknown[] {
  if (Array.isArray(error)) return error;
  if (isPlainObject(error)) {
    const { message, data } = error;
    const params = Array.isArray(data) ? data : data === undefined || data === null ? [] : [data];
    return [message ?? 'INTERNAL_ERROR', ...params];
  }
  return [error];
}

/** XML-RPC's `{Status: "Success", Value}` or `{Status: "Failure", ErrorDescription: [CODE, …]}`. */
export function xmlRpcResult(answer: unknown, where: string): unknown {
  if (isPlainObject(answer)) {
    if (answer.Status === 'Success') return answer.Value;
    if (answer.Status === 'Failure') throw xapiFailure(answer.ErrorDescription);
  }
  throw malformedAnswer(where, 'it is neither a XAPI success nor a XAPI failure');
}

/** A get_all_records value: a map of ref → record (each an object), records through `transform`. */
export function recordMap(value: unknown, transform: RecordTransform, where: string): Map<string, Record<string, unknown>> {
  if (value instanceof Map) return value as Map<string, Record<string, unknown>>;
  if (value === null || value === undefined) return new Map();
  if (!isPlainObject(value)) throw malformedAnswer(where, 'the records are not a map');
  const out = new Map<string, Record<string, unknown>>();
  for (const ref of Object.keys(value)) {
    const record = value[ref];
    if (!isPlainObject(record)) throw malformedAnswer(where, `the record ${ref.slice(0, 60)} is not an object`);
    out.set(ref, transform(record));
  }
  return out;
}
