// One HTTPS exchange with a vSphere endpoint, under the product's TLS policy and
// the server's limits: a direct connection (node:https never uses HTTPS_PROXY),
// at most `maxBytes` of answer (a declared Content-Length over it is refused
// before reading), silent for at most `idleMs`, finished within `deadlineMs`.
// Certificate failures become CERT_UNTRUSTED / CERT_CHANGED, limits
// RESPONSE_TOO_LARGE / TIMEOUT, other socket failures CONNECTION_FAILED; HTTP
// statuses are left to the caller. Rejects only with PolyvisorError.
//
// Why buffering is enough here: the provider pages what it reads
// (WaitForUpdatesEx with maxObjectUpdates = `pageSize`, 1,000 by default), so an
// answer's size follows the page, not the estate. Measured on vcsim (2,000 VMs,
// 200 of them with 3 snapshots): 2.4 KiB per VM in an update set, 3.7 KiB with
// three snapshots, so a page is ~2.5-3.7 MiB. A 50,000-VM vCenter that ignored
// maxObjectUpdates would send its initial set in one answer of ~120-180 MiB:
// still under the 256 MiB default (LIMITS.maxBufferedBytes), which itself stays
// under V8's ~512 MiB string limit, whose ERR_STRING_TOO_LONG used to kill the
// process on a 560 MB answer.

import https from 'node:https';
import { PolyvisorError, isPolyvisorError } from '../../../../shared/errors';
import { certificateErrorFor } from '../../tls/classify';
import type { TlsTrust } from '../../tls/trust';
import { ByteBudget, deadlineSignal, responseTooLarge, timedOut } from '../common/limits';
import { sentOnStaleSocket } from '../common/stale-socket';

export interface HttpRequest {
  /** names the request in messages: the SOAP method */
  what: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** longest silence while waiting for or reading the answer */
  idleMs: number;
  /** the whole exchange must be over by then */
  deadlineMs: number;
  /** largest answer body accepted */
  maxBytes: number;
  /** an answer longer than this is left as its bytes (`chunks`, `body` empty), to be read by a parse worker */
  keepBytesAbove?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** the undecoded answer, when it was longer than the request's keepBytesAbove */
  chunks?: Buffer[];
}

export interface Endpoint {
  host: string;
  port: number;
  tls: TlsTrust;
  agent: https.Agent;
}

export async function httpExchange(endpoint: Endpoint, req: HttpRequest): Promise<HttpResponse> {
  const where = `vSphere ${endpoint.host}:${endpoint.port} (${req.what})`;
  const deadline = deadlineSignal(where, req.deadlineMs, req.signal);
  try {
    return await send(endpoint, req, where, deadline.signal);
  } catch (err) {
    if (req.signal?.aborted) {
      throw new PolyvisorError({ code: 'CANCELLED', message: 'The request was cancelled.' }, { cause: err });
    }
    if (deadline.signal.aborted && isPolyvisorError(deadline.signal.reason)) throw deadline.signal.reason;
    if (isPolyvisorError(err)) throw err;
    const certError = await certificateErrorFor(err, endpoint.host, endpoint.port, endpoint.tls).catch(() => null); // unreadable certificate: the connection failure below says enough
    if (certError) throw certError;
    const detail = err instanceof Error ? err.message : String(err);
    throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `Cannot reach ${endpoint.host}:${endpoint.port}: ${detail}` }, { cause: err });
  } finally {
    deadline.clear();
  }
}

/** `staleRetry`: a request lost on a closed kept-alive socket goes again once */
function send(endpoint: Endpoint, req: HttpRequest, where: string, signal: AbortSignal, staleRetry = true): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    /** why we ended the exchange ourselves: it wins over the socket errors that follow */
    let stoppedBy: PolyvisorError | null = null;
    const stop = (err: PolyvisorError) => {
      stoppedBy ??= err;
      reject(stoppedBy);
      request.destroy(stoppedBy);
    };
    const request = https.request(
      {
        host: endpoint.host,
        port: endpoint.port,
        method: req.method,
        path: req.path,
        agent: endpoint.agent,
        headers: { ...req.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
        signal,
      },
      (res) => {
        answered = true;
        const budget = new ByteBudget(req.maxBytes, where);
        try {
          budget.checkDeclared(res.headers['content-length']);
        } catch (err) {
          stop(err as PolyvisorError);
          return;
        }
        const chunks: Buffer[] = [];
        let length = 0;
        res.on('data', (chunk: Buffer) => {
          if (stoppedBy) return;
          try {
            budget.spend(chunk.length);
            chunks.push(chunk);
            length += chunk.length;
          } catch (err) {
            chunks.length = 0; // let the partial answer go now, not when the socket closes
            stop(err as PolyvisorError);
          }
        });
        res.on('end', () => {
          try {
            const status = res.statusCode ?? 0;
            // no concat or decode here: both hold the event loop for a large answer
            if (req.keepBytesAbove !== undefined && length > req.keepBytesAbove) resolve({ status, headers: res.headers, body: '', chunks });
            else resolve({ status, headers: res.headers, body: decodeUtf8(Buffer.concat(chunks), where) });
          } catch (err) {
            reject(err);
          }
        });
        const cut = () => reject(stoppedBy ?? new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${where} closed the connection in the middle of its answer.` }));
        res.on('error', cut);
        res.on('close', () => {
          if (!res.complete) cut();
        });
      },
    );
    request.setTimeout(req.idleMs, () => stop(timedOut(where, req.idleMs, 'idle')));
    request.on('error', (err) => {
      if (!stoppedBy && !answered && staleRetry && sentOnStaleSocket(request, err)) resolve(send(endpoint, req, where, signal, false));
      else reject(stoppedBy ?? err);
    });
    request.end(body);
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** SOAP answers are UTF-8 XML: bytes that are not UTF-8 make the document unreadable, not a name with "\uFFFD" in it. */
export function decodeUtf8(bytes: Buffer, where: string): string {
  try {
    return utf8.decode(bytes);
  } catch (err) {
    throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${where} sent an answer that is not valid UTF-8.`, serverCode: 'BadResponse' }, { cause: err });
  }
}
