// A small vim25 SOAP client: version negotiation, login with the
// vmware_soap_session cookie, method calls with faults turned into
// PolyvisorErrors, and a transparent re-login (once) when the session is gone.

import type https from 'node:https';
import { EventEmitter } from 'node:events';
import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import { httpsAgent, type TlsTrust } from '../../tls/trust';
import type { Limits } from '../common/limits';
import { isSessionFault } from './faults';
import { httpExchange, type Endpoint } from './http';
import { readSoapReturnOffloaded, SOAP_OFFLOAD_ABOVE_BYTES } from './offloaded-soap';
import { readAdvertisedVersion, readServiceContent, readSoapReturn, type ServiceContent } from './soap-answer';
import { el, envelope, moRef, type ManagedObjectReference, type Xml, type XmlNode } from './xml';

export type { AboutInfo, ServiceContent } from './soap-answer';

export interface VimClientOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  tls: TlsTrust;
  /** SDK path, '/sdk' on ESXi and vCenter */
  path?: string;
  /** size and time limits on every answer (long polls add their own wait to the time limits) */
  limits: Limits;
  /** each call must be answered within this (at most limits.requestDeadlineMs) */
  callDeadlineMs?: number;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** extra time for long polls (WaitForUpdatesEx) */
  extraTimeoutMs?: number;
  /** false: surface NotAuthenticated instead of logging in again */
  reauth?: boolean;
}

const SERVICE_INSTANCE: ManagedObjectReference = { type: 'ServiceInstance', value: 'ServiceInstance' };
const FALLBACK_VERSION = '6.0';
const COOKIE_NAME = 'vmware_soap_session';
const LOGOUT_MS = 5_000;

export class VimClient extends EventEmitter<{ relogin: [] }> {
  readonly endpoint: Endpoint;
  private readonly path: string;
  private readonly deadlineMs: number;
  private apiVersion = FALLBACK_VERSION;
  private cookie: string | null = null;
  private content: ServiceContent | null = null;
  private loggingIn: Promise<void> | null = null;
  /** bumped on every login: state tied to a session (property filters) must be recreated */
  generation = 0;
  private closed = false;

  constructor(private readonly options: VimClientOptions) {
    super();
    this.path = options.path ?? '/sdk';
    this.deadlineMs = Math.min(options.callDeadlineMs ?? Infinity, options.limits.requestDeadlineMs);
    const agent: https.Agent = httpsAgent(options.tls, { maxSockets: 8 });
    this.endpoint = { host: options.host, port: options.port, tls: options.tls, agent };
  }

  get serviceContent(): ServiceContent {
    if (!this.content) throw new PolyvisorError({ code: 'INTERNAL', message: 'vSphere client used before connect()' });
    return this.content;
  }

  get version(): string {
    return this.apiVersion;
  }

  /** Negotiates the API version, reads the ServiceContent and logs in; `signal` cancels it. */
  async connect(signal?: AbortSignal): Promise<ServiceContent> {
    this.closed = false;
    const advertised = await this.fetchAdvertisedVersion(signal);
    if (advertised) this.apiVersion = advertised;
    const node = await this.call('RetrieveServiceContent', SERVICE_INSTANCE, [], { reauth: false, signal });
    this.content = readServiceContent(node);
    if (!advertised && this.content.about.apiVersion) this.apiVersion = this.content.about.apiVersion;
    await this.login(signal);
    return this.content;
  }

  /** Logs out (within a few seconds: the server may be the reason we close) and frees the sockets. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.cookie && this.content) {
        await this.call('Logout', this.content.sessionManager, [], { reauth: false, signal: AbortSignal.timeout(LOGOUT_MS) });
      }
    } catch (err) {
      this.options.log?.('debug', `logging out of ${this.options.host} failed (the session ends with the server's timeout): ${toErrorInfo(err).message}`);
    } finally {
      this.cookie = null;
      this.endpoint.agent.destroy();
    }
  }

  /**
   * Calls a vim25 method on `target` and returns its `returnval` (undefined for void methods).
   * A NotAuthenticated fault logs in again once and repeats the call.
   */
  async call(method: string, target: ManagedObjectReference, args: Array<Xml | undefined>, opts: CallOptions = {}): Promise<XmlNode | undefined> {
    const body = envelope(method, [moRef('_this', target), ...args]);
    return this.withSession(() => this.post(method, body, opts), opts);
  }

  /** Runs `fn`; when it fails because the session is gone, logs in again and runs it once more. */
  async withSession<T>(fn: () => Promise<T>, opts: CallOptions = {}): Promise<T> {
    const generation = this.generation;
    try {
      return await fn();
    } catch (err) {
      if (opts.reauth === false || !isSessionFault(err) || this.closed) throw err;
      this.options.log?.('info', `vSphere session on ${this.options.host} expired: logging in again`);
      await this.relogin(generation);
      return fn();
    }
  }

  /** Logs in again unless another caller already did since `seenGeneration`. */
  async relogin(seenGeneration: number, signal?: AbortSignal): Promise<void> {
    if (this.generation !== seenGeneration) return;
    this.cookie = null;
    await this.login(signal);
  }

  private login(signal?: AbortSignal): Promise<void> {
    this.loggingIn ??= (async () => {
      try {
        const content = this.serviceContent;
        await this.post(
          'Login',
          envelope('Login', [moRef('_this', content.sessionManager), el('userName', this.options.username), el('password', this.options.password)]),
          { signal },
        );
        if (!this.cookie) throw new PolyvisorError({ code: 'SERVER_ERROR', message: 'The server accepted the login but sent no session cookie.' });
        this.generation++;
        this.emit('relogin');
      } finally {
        this.loggingIn = null;
      }
    })();
    return this.loggingIn;
  }

  private async fetchAdvertisedVersion(signal?: AbortSignal): Promise<string | null> {
    const path = `${this.path}/vimServiceVersions.xml`;
    const res = await httpExchange(this.endpoint, { what: `GET ${path}`, method: 'GET', path, ...this.bounds({ signal }) });
    return res.status === 200 ? readAdvertisedVersion(res.body) : null;
  }

  private async post(method: string, body: string, opts: CallOptions): Promise<XmlNode | undefined> {
    const headers: Record<string, string> = {
      'Content-Type': 'text/xml; charset=utf-8',
      SOAPAction: `urn:vim25/${this.apiVersion}`,
      Accept: 'text/xml',
    };
    if (this.cookie) headers.Cookie = this.cookie;
    const res = await httpExchange(this.endpoint, { what: method, method: 'POST', path: this.path, headers, body, keepBytesAbove: SOAP_OFFLOAD_ABOVE_BYTES, ...this.bounds(opts) });
    this.keepCookie(res.headers['set-cookie']);
    if (res.chunks) return readSoapReturnOffloaded(method, `vSphere ${this.options.host}:${this.options.port} (${method})`, { ...res, chunks: res.chunks });
    return readSoapReturn(method, res);
  }

  /** Time and size limits of one call; a long poll may be silent, and last, `extraTimeoutMs` longer. */
  private bounds(opts: CallOptions): { idleMs: number; deadlineMs: number; maxBytes: number; signal?: AbortSignal } {
    const extra = opts.extraTimeoutMs ?? 0;
    const { idleTimeoutMs, maxBufferedBytes } = this.options.limits;
    return { idleMs: Math.min(idleTimeoutMs, this.deadlineMs) + extra, deadlineMs: this.deadlineMs + extra, maxBytes: maxBufferedBytes, signal: opts.signal };
  }

  private keepCookie(setCookie: string | string[] | undefined): void {
    for (const header of setCookie ?? []) {
      const first = header.split(';')[0].trim();
      if (first.startsWith(`${COOKIE_NAME}=`)) this.cookie = first;
    }
  }
}
