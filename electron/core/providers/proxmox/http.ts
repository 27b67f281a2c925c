// One HTTPS request to pveproxy, within the server's limits: a direct connection
// (never a proxy from HTTPS_PROXY: management networks are direct, and a proxy
// would see passwords and tickets), the user's TLS trust, at most
// maxBufferedBytes of answer, silent for at most idleTimeoutMs and finished
// within requestDeadlineMs. Every failure is a PolyvisorError naming the request.
//
// Why buffering is enough here: the largest answer is GET /cluster/resources,
// ~270 bytes per entry as PVE 8 sends it (measured by bench/proxmox.bench.ts:
// 5,000 guests on 16 nodes = 1.3 MiB), so a 50,000-guest cluster sends ~13 MiB:
// the 256 MiB limit is ~20× that. Snapshot lists and task lists are a few KiB.

import axios, { isAxiosError, type AxiosInstance } from 'axios';
import type https from 'node:https';
import { isPolyvisorError, PolyvisorError } from '../../../../shared/errors';
import { certificateErrorFor } from '../../tls/classify';
import { httpsAgent, type TlsTrust } from '../../tls/trust';
import { deadlineSignal, responseTooLarge, timedOut, type Limits } from '../common/limits';
import { sentOnStaleSocket } from '../common/stale-socket';
import { decodeJson, type RawAnswer } from './answers';

export type PveParams = Record<string, string | number | boolean | undefined>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface PveHttpOptions {
  host: string;
  port: number;
  trust: TlsTrust;
  limits: Limits;
}

export class PveHttp {
  /** "Proxmox VE 10.0.0.5:8006", for messages */
  readonly name: string;
  private readonly agent: https.Agent;
  private readonly axios: AxiosInstance;

  constructor(private readonly opts: PveHttpOptions) {
    this.name = `Proxmox VE ${opts.host}:${opts.port}`;
    this.agent = httpsAgent(opts.trust);
    this.axios = axios.create({
      baseURL: `${this.origin('https')}/api2/json`,
      httpsAgent: this.agent,
      proxy: false,
      timeout: opts.limits.idleTimeoutMs,
      maxContentLength: opts.limits.maxBufferedBytes,
      maxBodyLength: opts.limits.maxBufferedBytes,
      maxRedirects: 0,
      validateStatus: () => true,
      // decoded and parsed by decodeJson, which says clearly what is wrong with a bad answer
      responseType: 'arraybuffer',
      transitional: { clarifyTimeoutError: true, silentJSONParsing: false },
    });
  }

  origin(scheme: 'https' | 'wss'): string {
    const host = this.opts.host.includes(':') && !this.opts.host.startsWith('[') ? `[${this.opts.host}]` : this.opts.host;
    return `${scheme}://${host}:${this.opts.port}`;
  }

  get trust(): TlsTrust {
    return this.opts.trust;
  }

  /** Sends one request; `signal` cancels it (CANCELLED). Rejects only with PolyvisorError. `staleRetry`: a request lost on a closed kept-alive socket goes again once. */
  async send(method: HttpMethod, path: string, params: PveParams | undefined, headers: Record<string, string>, signal?: AbortSignal, staleRetry = true): Promise<RawAnswer> {
    const where = `${this.name} (${method} ${path})`;
    const form = toForm(params);
    const bodyless = method === 'GET' || method === 'DELETE';
    const deadline = deadlineSignal(where, this.opts.limits.requestDeadlineMs, signal);
    try {
      const res = await this.axios.request<ArrayBuffer>({
        method,
        url: path,
        params: bodyless && form ? form : undefined,
        data: !bodyless && form ? form.toString() : undefined,
        headers: { ...headers, ...(!bodyless ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
        signal: deadline.signal,
      });
      // axios gives a Buffer in Node: read it in place, a copy of a large answer is only garbage
      const bytes = Buffer.isBuffer(res.data) ? res.data : Buffer.from(res.data ?? new ArrayBuffer(0));
      return { status: res.status, reason: res.statusText ?? '', body: res.status === 200 ? decodeJson(bytes, where) : errorBody(bytes, where) };
    } catch (err) {
      if (staleRetry && !signal?.aborted && isAxiosError(err) && sentOnStaleSocket(err.request as { reusedSocket?: boolean } | undefined, err)) {
        deadline.clear();
        return this.send(method, path, params, headers, signal, false);
      }
      throw await this.failure(err, where, deadline.signal, signal);
    } finally {
      deadline.clear();
    }
  }

  /** Drops the kept-alive connections (after a failure, and at the end). */
  close(): void {
    this.agent.destroy();
  }

  private async failure(err: unknown, where: string, deadline: AbortSignal, caller: AbortSignal | undefined): Promise<PolyvisorError> {
    if (isPolyvisorError(err)) return err;
    if (caller?.aborted) return new PolyvisorError({ code: 'CANCELLED', message: `${where}: cancelled.` });
    if (deadline.aborted && isPolyvisorError(deadline.reason)) return deadline.reason;
    if (isAxiosError(err)) {
      if (err.code === 'ETIMEDOUT' || err.code === 'ECONNABORTED') return timedOut(where, this.opts.limits.idleTimeoutMs, 'idle');
      if (err.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(err.message)) return responseTooLarge(where, this.opts.limits.maxBufferedBytes);
      if (err.response) {
        // the headers had come: the body was cut short (a reset, or less than its Content-Length)
        return new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${where} closed the connection in the middle of its answer (${err.message}).` }, { cause: err });
      }
    }
    // a certificate that cannot be read to show it leaves the connection failure below to explain
    const certError = await certificateErrorFor(err, this.opts.host, this.opts.port, this.opts.trust).catch(() => null);
    if (certError) return certError;
    const message = err instanceof Error ? err.message : String(err);
    return new PolyvisorError({ code: 'CONNECTION_FAILED', message: `Cannot reach ${this.name}: ${message}` }, { cause: err });
  }
}

/** An error answer's body: the JSON envelope when there is one (its message and errors), else nothing. */
function errorBody(bytes: Uint8Array, where: string): unknown {
  try {
    return decodeJson(bytes, where);
  } catch {
    // not JSON (an HTML error page): the reason phrase carries the message
    return undefined;
  }
}

function toForm(params: PveParams | undefined): URLSearchParams | undefined {
  if (!params) return undefined;
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    form.append(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return form;
}
