// XAPI over JSON-RPC (POST /jsonrpc), as XenCenter speaks it.

import type { Readable } from 'node:stream';
import axios, { type AxiosResponse } from 'axios';
import { httpsAgent } from '../../tls/trust';
import { connectionFailure, xapiFailure } from './errors';
import { JsonRecordsReader, type RecordTransform } from './json-records';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  UnsupportedTransportError,
  urlHost,
  type TransportTarget,
  type XapiTransport,
} from './transport';

interface JsonRpcResponse {
  result?: unknown;
  error?: unknown;
}

export function createJsonRpcTransport(target: TransportTarget): XapiTransport {
  const agent = httpsAgent(target.trust);
  const closed = new AbortController();
  const client = axios.create({
    baseURL: `https://${urlHost(target.host)}:${target.port}`,
    httpsAgent: agent,
    proxy: false,
    // the body is read as a stream and parsed here (see JsonRecordsReader), no axios transforms
    responseType: 'stream',
    transformResponse: [(data: unknown) => data],
    maxContentLength: Infinity,
    maxBodyLength: Infinity,
    validateStatus: () => true,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  });
  let nextId = 1;

  async function request(method: string, params: unknown[], timeoutMs: number, transform?: RecordTransform): Promise<unknown> {
    let body: JsonRpcResponse;
    const signal = AbortSignal.any([closed.signal, AbortSignal.timeout(timeoutMs)]);
    let stream: Readable | undefined;
    // covers the body too: a close or timeout while it streams in ends the read
    const onAbort = () => stream?.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort);
    try {
      const response: AxiosResponse<Readable> = await client.post<Readable>(
        '/jsonrpc',
        JSON.stringify({ jsonrpc: '2.0', method, params, id: nextId++ }),
        { signal },
      );
      stream = response.data;
      if (signal.aborted) onAbort();
      const contentType = String(response.headers['content-type'] ?? '');
      if (response.status === 404 || !contentType.startsWith('application/json')) {
        response.data.resume();
        throw new UnsupportedTransportError('jsonrpc', `HTTP ${response.status} ${contentType}`);
      }
      const reader = new JsonRecordsReader(transform);
      const whole: Buffer[] = [];
      for await (const chunk of response.data as AsyncIterable<Buffer>) {
        if (transform) reader.push(chunk);
        else whole.push(chunk);
      }
      body = transform ? reader.finish() : (JSON.parse(Buffer.concat(whole).toString('utf8')) as JsonRpcResponse);
    } catch (err) {
      if (err instanceof UnsupportedTransportError) throw err;
      throw connectionFailure(target.host, target.port, err);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    if (body.error !== undefined && body.error !== null) throw xapiFailure(errorDescription(body.error));
    return body.result;
  }

  return {
    kind: 'jsonrpc',
    call(method, params, timeoutMs = DEFAULT_CALL_TIMEOUT_MS) {
      return request(method, params, timeoutMs);
    },
    async callRecords(method, params, transform, timeoutMs = DEFAULT_CALL_TIMEOUT_MS) {
      return ((await request(method, params, timeoutMs, transform)) ?? {}) as Record<string, Record<string, unknown>>;
    },
    close() {
      closed.abort();
      agent.destroy();
    },
  };
}

/** JSON-RPC v1 sends the description array as `error`; v2 sends `{code, message: CODE, data: params}`. */
function errorDescription(error: unknown): unknown[] {
  if (Array.isArray(error)) return error;
  if (error && typeof error === 'object') {
    const { message, data } = error as { message?: unknown; data?: unknown };
    const params = Array.isArray(data) ? data : data === undefined || data === null ? [] : [data];
    return [message ?? 'INTERNAL_ERROR', ...params];
  }
  return [String(error)];
}
