// A small PVE REST client: /api2/json envelopes, ticket login (renewed before it
// expires and once on a 401) or API-token auth, CSRF token on writes, form bodies,
// and every failure turned into a PolyvisorError.

import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type https from 'node:https';
import { PolyvisorError } from '../../../../shared/errors';
import { certificateErrorFor } from '../../tls/classify';
import { httpsAgent, type TlsTrust } from '../../tls/trust';

export interface PveClientOptions {
  host: string;
  port: number;
  /** user, with or without @realm */
  username: string;
  realm: string;
  /** password, or the API token secret when tokenId is set */
  secret: string;
  /** API token: "user@realm!name", or just "name" (then user and realm come from above) */
  tokenId?: string;
  trust: TlsTrust;
  /** PVE tickets live 2 h; renewal happens at 3/4 of this */
  ticketLifetimeMs?: number;
  timeoutMs?: number;
}

export type PveParams = Record<string, string | number | boolean | undefined>;

interface Ticket {
  ticket: string;
  csrf: string;
  obtainedAt: number;
}

const TWO_HOURS = 2 * 3600_000;

export class PveClient {
  private readonly http: AxiosInstance;
  private readonly agent: https.Agent;
  private readonly user: string;
  private ticket: Ticket | null = null;
  private loggingIn: Promise<void> | null = null;

  constructor(private readonly opts: PveClientOptions) {
    this.user = opts.username.includes('@') ? opts.username : `${opts.username}@${opts.realm}`;
    this.agent = httpsAgent(opts.trust);
    this.http = axios.create({
      baseURL: `https://${formatHost(opts.host)}:${opts.port}/api2/json`,
      httpsAgent: this.agent,
      timeout: opts.timeoutMs ?? 30_000,
      validateStatus: () => true,
      // PVE answers JSON; keep axios from guessing
      responseType: 'json',
      maxRedirects: 0,
    });
  }

  get usesToken(): boolean {
    return !!this.opts.tokenId;
  }

  /** Checks the credentials: a ticket login, or one authenticated call with a token. */
  async login(): Promise<void> {
    if (this.usesToken) {
      await this.get('/version');
      return;
    }
    await this.ensureTicket(true);
  }

  get<T>(path: string, params?: PveParams): Promise<T> {
    return this.request<T>('GET', path, params);
  }

  post<T>(path: string, params?: PveParams): Promise<T> {
    return this.request<T>('POST', path, params);
  }

  delete<T>(path: string, params?: PveParams): Promise<T> {
    return this.request<T>('DELETE', path, params);
  }

  close(): void {
    this.agent.destroy();
  }

  /** For connections outside the REST calls (console WebSockets): where, how to authenticate, whom to trust. */
  async connectionInfo(): Promise<{ baseUrl: string; headers: Record<string, string>; trust: TlsTrust; host: string; port: number }> {
    if (!this.usesToken) await this.ensureTicket(false);
    const headers = this.authHeaders('GET');
    return { baseUrl: `wss://${formatHost(this.opts.host)}:${this.opts.port}/api2/json`, headers, trust: this.opts.trust, host: this.opts.host, port: this.opts.port };
  }

  private async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, params?: PveParams, retried = false): Promise<T> {
    if (!this.usesToken) await this.ensureTicket(false);
    const res = await this.send(method, path, params, this.authHeaders(method));
    if (res.status === 401 && !this.usesToken && !retried) {
      // the ticket may have expired (suspend, clock skew, server restart with new keys): log in again once
      await this.ensureTicket(true);
      return this.request<T>(method, path, params, true);
    }
    return unwrap<T>(res);
  }

  private authHeaders(method: string): Record<string, string> {
    if (this.usesToken) {
      // the token id may be given whole, as PVE shows it (user@realm!name), or as just its name
      const tokenId = this.opts.tokenId!;
      const fullId = tokenId.includes('!') ? tokenId : `${this.user}!${tokenId}`;
      return { Authorization: `PVEAPIToken=${fullId}=${this.opts.secret}` };
    }
    if (!this.ticket) return {};
    const headers: Record<string, string> = { Cookie: `PVEAuthCookie=${encodeURIComponent(this.ticket.ticket)}` };
    if (method !== 'GET') headers.CSRFPreventionToken = this.ticket.csrf;
    return headers;
  }

  private ensureTicket(force: boolean): Promise<void> {
    const lifetime = this.opts.ticketLifetimeMs ?? TWO_HOURS;
    const fresh = this.ticket && Date.now() - this.ticket.obtainedAt < lifetime * 0.75;
    if (fresh && !force) return Promise.resolve();
    if (!this.loggingIn) {
      this.loggingIn = this.obtainTicket(force).finally(() => (this.loggingIn = null));
    }
    return this.loggingIn;
  }

  private async obtainTicket(force: boolean): Promise<void> {
    // renew with the current ticket while it is still valid, so the password is sent as rarely as possible
    const current = this.ticket;
    if (current && !force) {
      const renewed = await this.postTicket(current.ticket).catch(() => null);
      if (renewed) return;
    }
    const ok = await this.postTicket(this.opts.secret);
    if (!ok) {
      this.ticket = null;
      throw new PolyvisorError({
        code: 'AUTH_FAILED',
        message: `Proxmox VE refused the login of ${this.user}: wrong user name, realm or password.`,
        serverCode: '401',
        serverParams: ['authentication failure'],
      });
    }
  }

  /** POST /access/ticket; true on success, false when the server says 401. */
  private async postTicket(password: string): Promise<boolean> {
    const res = await this.send('POST', '/access/ticket', { username: this.user, password }, {});
    if (res.status === 401) return false;
    const data = unwrap<{ ticket?: string; CSRFPreventionToken?: string }>(res);
    if (!data?.ticket || !data.CSRFPreventionToken) {
      throw new PolyvisorError({ code: 'AUTH_FAILED', message: 'Proxmox VE answered the login without a ticket (two-factor authentication is not supported yet).' });
    }
    this.ticket = { ticket: data.ticket, csrf: data.CSRFPreventionToken, obtainedAt: Date.now() };
    return true;
  }

  private async send(method: string, path: string, params: PveParams | undefined, headers: Record<string, string>): Promise<AxiosResponse> {
    const form = toForm(params);
    const isBodyless = method === 'GET' || method === 'DELETE';
    try {
      return await this.http.request({
        method,
        url: path,
        params: isBodyless && form ? form : undefined,
        data: !isBodyless && form ? form.toString() : undefined,
        headers: {
          ...headers,
          ...(!isBodyless ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        },
      });
    } catch (err) {
      const certError = await certificateErrorFor(err, this.opts.host, this.opts.port, this.opts.trust).catch(() => null);
      if (certError) throw certError;
      const message = err instanceof Error ? err.message : String(err);
      throw new PolyvisorError(
        { code: 'CONNECTION_FAILED', message: `Cannot reach Proxmox VE at ${this.opts.host}:${this.opts.port}: ${message}` },
        { cause: err },
      );
    }
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

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Takes `data` out of the envelope, or throws the server's error. */
function unwrap<T>(res: AxiosResponse): T {
  const body = res.data as { data?: unknown; message?: string; errors?: Record<string, string> } | string | undefined;
  if (res.status === 200 && body && typeof body === 'object') return body.data as T;
  const serverMessage = ((typeof body === 'object' && body?.message) || res.statusText || `HTTP ${res.status}`).trim();
  const errors = typeof body === 'object' && body?.errors ? body.errors : undefined;
  const details = errors ? Object.entries(errors).map(([k, v]) => `${k}: ${String(v).trim()}`) : [];
  const message = details.length ? `${serverMessage} ${details.join('; ')}` : serverMessage;
  if (res.status === 401) {
    throw new PolyvisorError({ code: 'AUTH_FAILED', message: `Proxmox VE refused the credentials: ${message}`, serverCode: '401', serverParams: [serverMessage] });
  }
  throw new PolyvisorError({
    code: res.status === 400 ? 'INVALID_INPUT' : 'SERVER_ERROR',
    message,
    serverCode: String(res.status),
    serverParams: [serverMessage, ...details],
  });
}
