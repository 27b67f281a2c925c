// XAPI over JSON-RPC (POST /jsonrpc), as XenCenter speaks it.

import axios, { type AxiosResponse } from 'axios';
import { httpsAgent } from '../../tls/trust';
import { connectionFailure, xapiFailure } from './errors';
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
    // parse ourselves: one JSON.parse of the raw text, no axios transforms on large bodies
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxContentLength: Infinity,
    maxBodyLength: Infinity,
    validateStatus: () => true,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  });
  let nextId = 1;

  return {
    kind: 'jsonrpc',
    async call(method, params, timeoutMs = DEFAULT_CALL_TIMEOUT_MS) {
      let response: AxiosResponse<string>;
      try {
        response = await client.post<string>(
          '/jsonrpc',
          JSON.stringify({ jsonrpc: '2.0', method, params, id: nextId++ }),
          { signal: AbortSignal.any([closed.signal, AbortSignal.timeout(timeoutMs)]) },
        );
      } catch (err) {
        throw connectionFailure(target.host, target.port, err);
      }
      const contentType = String(response.headers['content-type'] ?? '');
      if (response.status === 404 || !contentType.startsWith('application/json')) {
        throw new UnsupportedTransportError('jsonrpc', `HTTP ${response.status} ${contentType}`);
      }
      let body: JsonRpcResponse;
      try {
        body = JSON.parse(response.data) as JsonRpcResponse;
      } catch (err) {
        throw connectionFailure(target.host, target.port, new Error(`unreadable JSON-RPC answer (HTTP ${response.status})`, { cause: err }));
      }
      if (body.error !== undefined && body.error !== null) throw xapiFailure(errorDescription(body.error));
      return body.result;
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
