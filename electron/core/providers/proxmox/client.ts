// A small PVE REST client: ticket login (renewed before it expires and once on a
// 401) or API-token auth, the CSRF token on writes, and every answer read by the
// reader the caller names (answers.ts), so no unchecked server data gets further.

import { PolyvisorError } from '../../../../shared/errors';
import type { TlsTrust } from '../../tls/trust';
import type { Limits } from '../common/limits';
import { readTicket, unwrapEnvelope, type PveTicket } from './answers';
import { PveHttp, type HttpMethod, type PveParams } from './http';

export type { PveParams } from './http';

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
  limits: Limits;
  /** PVE tickets live 2 h; renewal happens at 3/4 of this */
  ticketLifetimeMs: number;
}

/** Turns the envelope's `data` into a checked value; `where` names the request for messages. */
export type AnswerReader<T> = (data: unknown, where: string) => T;

export class PveClient {
  private readonly http: PveHttp;
  private readonly user: string;
  private ticket: (PveTicket & { obtainedAt: number }) | null = null;
  private loggingIn: Promise<void> | null = null;

  constructor(private readonly opts: PveClientOptions) {
    this.user = opts.username.includes('@') ? opts.username : `${opts.username}@${opts.realm}`;
    this.http = new PveHttp(opts);
  }

  get name(): string {
    return this.http.name;
  }

  /** user@realm as logged in (an API token's owner) */
  get userid(): string {
    return this.user;
  }

  get usesToken(): boolean {
    return !!this.opts.tokenId;
  }

  /** Checks the credentials: a fresh ticket, or one authenticated call with a token. */
  async login(signal?: AbortSignal): Promise<void> {
    if (this.usesToken) {
      await this.get('/version', (d) => d, undefined, signal);
      return;
    }
    await this.ensureTicket(true, signal);
  }

  get<T>(path: string, read: AnswerReader<T>, params?: PveParams, signal?: AbortSignal): Promise<T> {
    return this.request('GET', path, read, params, signal);
  }

  post<T>(path: string, read: AnswerReader<T>, params?: PveParams, signal?: AbortSignal): Promise<T> {
    return this.request('POST', path, read, params, signal);
  }

  put<T>(path: string, read: AnswerReader<T>, params?: PveParams, signal?: AbortSignal): Promise<T> {
    return this.request('PUT', path, read, params, signal);
  }

  delete<T>(path: string, read: AnswerReader<T>, params?: PveParams, signal?: AbortSignal): Promise<T> {
    return this.request('DELETE', path, read, params, signal);
  }

  /** Drops kept-alive connections; the client stays usable. */
  close(): void {
    this.http.close();
  }

  /** For connections outside the REST calls (console WebSockets): where, how to authenticate, whom to trust. */
  async connectionInfo(): Promise<{ baseUrl: string; headers: Record<string, string>; trust: TlsTrust; host: string; port: number }> {
    if (!this.usesToken) await this.ensureTicket(false);
    return { baseUrl: `${this.http.origin('wss')}/api2/json`, headers: this.authHeaders('GET'), trust: this.http.trust, host: this.opts.host, port: this.opts.port };
  }

  private async request<T>(method: HttpMethod, path: string, read: AnswerReader<T>, params: PveParams | undefined, signal: AbortSignal | undefined, retried = false): Promise<T> {
    if (!this.usesToken) await this.ensureTicket(false, signal);
    const res = await this.http.send(method, path, params, this.authHeaders(method), signal);
    if (res.status === 401 && !this.usesToken && !retried) {
      // the ticket may have expired (suspend, clock skew, server restart with new keys): log in again once
      await this.ensureTicket(true, signal);
      return this.request(method, path, read, params, signal, true);
    }
    const where = `${this.http.name} (${method} ${path})`;
    return read(unwrapEnvelope(res, where), where);
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

  private ensureTicket(force: boolean, signal?: AbortSignal): Promise<void> {
    const fresh = this.ticket && Date.now() - this.ticket.obtainedAt < this.opts.ticketLifetimeMs * 0.75;
    if (fresh && !force) return Promise.resolve();
    if (!this.loggingIn) {
      this.loggingIn = this.obtainTicket(force, signal).finally(() => (this.loggingIn = null));
    }
    return this.loggingIn;
  }

  private async obtainTicket(force: boolean, signal?: AbortSignal): Promise<void> {
    // renew with the current ticket while it is still valid, so the password is sent as rarely as possible
    const current = this.ticket;
    if (current && !force) {
      const renewed = await this.postTicket(current.ticket, signal).catch((e: unknown) => {
        if (e instanceof PolyvisorError && (e.code === 'CANCELLED' || e.code === 'TIMEOUT' || e.code === 'RESPONSE_TOO_LARGE')) throw e;
        return false; // a refused renewal: the password login below decides
      });
      if (renewed) return;
    }
    if (!(await this.postTicket(this.opts.secret, signal))) {
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
  private async postTicket(password: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.http.send('POST', '/access/ticket', { username: this.user, password }, {}, signal);
    if (res.status === 401) return false;
    const ticket = readTicket(unwrapEnvelope(res, `${this.http.name} (POST /access/ticket)`));
    this.ticket = { ...ticket, obtainedAt: Date.now() };
    return true;
  }
}
