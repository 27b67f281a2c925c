// One HTTPS exchange with a vSphere endpoint, under the product's TLS policy.
// Certificate failures become CERT_UNTRUSTED / CERT_CHANGED, other socket
// failures CONNECTION_FAILED; HTTP statuses are left to the caller.

import https from 'node:https';
import { PolyvisorError } from '../../../../shared/errors';
import { certificateErrorFor } from '../../tls/classify';
import type { TlsTrust } from '../../tls/trust';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Endpoint {
  host: string;
  port: number;
  tls: TlsTrust;
  agent: https.Agent;
}

export async function httpExchange(endpoint: Endpoint, req: HttpRequest): Promise<HttpResponse> {
  try {
    return await send(endpoint, req);
  } catch (err) {
    if (err instanceof PolyvisorError) throw err;
    if (req.signal?.aborted) {
      throw new PolyvisorError({ code: 'CANCELLED', message: 'The request was cancelled.' }, { cause: err });
    }
    const certError = await certificateErrorFor(err, endpoint.host, endpoint.port, endpoint.tls).catch(() => null);
    if (certError) throw certError;
    const detail = err instanceof Error ? err.message : String(err);
    throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `Cannot reach ${endpoint.host}:${endpoint.port}: ${detail}` }, { cause: err });
  }
}

function send(endpoint: Endpoint, req: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const request = https.request(
      {
        host: endpoint.host,
        port: endpoint.port,
        method: req.method,
        path: req.path,
        agent: endpoint.agent,
        headers: { ...req.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
        signal: req.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('the connection was closed while reading the response')));
      },
    );
    request.setTimeout(req.timeoutMs, () => request.destroy(new Error(`no answer within ${Math.round(req.timeoutMs / 1000)} s`)));
    request.on('error', reject);
    request.end(body);
  });
}
