// A small vim25 SOAP client: version negotiation, login with the
// vmware_soap_session cookie, method calls with faults turned into
// PolyvisorErrors, and a transparent re-login (once) when the session is gone.

import type https from 'node:https';
import { EventEmitter } from 'node:events';
import { PolyvisorError } from '../../../../shared/errors';
import { httpsAgent, type TlsTrust } from '../../tls/trust';
import { faultError, isSessionFault, readSoapFault } from './faults';
import { httpExchange, type Endpoint } from './http';
import {
  child,
  childText,
  children,
  el,
  envelope,
  moRef,
  parseXml,
  readMoRef,
  text,
  type ManagedObjectReference,
  type Xml,
  type XmlNode,
} from './xml';

export interface VimClientOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  tls: TlsTrust;
  /** SDK path, '/sdk' on ESXi and vCenter */
  path?: string;
  /** per-call timeout (long polls add their own wait on top) */
  timeoutMs?: number;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export interface AboutInfo {
  name: string;
  fullName: string;
  version: string;
  build: string;
  apiType: string; // 'VirtualCenter' | 'HostAgent'
  apiVersion: string;
  instanceUuid: string;
}

export interface ServiceContent {
  rootFolder: ManagedObjectReference;
  propertyCollector: ManagedObjectReference;
  sessionManager: ManagedObjectReference;
  about: AboutInfo;
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

export class VimClient extends EventEmitter<{ relogin: [] }> {
  readonly endpoint: Endpoint;
  private readonly path: string;
  private readonly timeoutMs: number;
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
    this.timeoutMs = options.timeoutMs ?? 60_000;
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

  /** Negotiates the API version, reads the ServiceContent and logs in. */
  async connect(): Promise<ServiceContent> {
    this.closed = false;
    const advertised = await this.fetchAdvertisedVersion();
    if (advertised) this.apiVersion = advertised;
    const node = await this.call('RetrieveServiceContent', SERVICE_INSTANCE, [], { reauth: false });
    this.content = readServiceContent(node);
    if (!advertised && this.content.about.apiVersion) this.apiVersion = this.content.about.apiVersion;
    await this.login();
    return this.content;
  }

  /** Logs out (best effort) and frees sockets. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.cookie && this.content) {
      await this.call('Logout', this.content.sessionManager, [], { reauth: false }).catch(() => undefined);
    }
    this.cookie = null;
    this.endpoint.agent.destroy();
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
  async relogin(seenGeneration: number): Promise<void> {
    if (this.generation !== seenGeneration) return;
    this.cookie = null;
    await this.login();
  }

  private login(): Promise<void> {
    this.loggingIn ??= (async () => {
      try {
        const content = this.serviceContent;
        await this.post(
          'Login',
          envelope('Login', [moRef('_this', content.sessionManager), el('userName', this.options.username), el('password', this.options.password)]),
          {},
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

  private async fetchAdvertisedVersion(): Promise<string | null> {
    const res = await httpExchange(this.endpoint, { method: 'GET', path: `${this.path}/vimServiceVersions.xml`, timeoutMs: this.timeoutMs });
    if (res.status !== 200) return null;
    try {
      const doc = parseXml(res.body);
      const ns = children(child(doc, 'namespaces'), 'namespace').find((n) => childText(n, 'name')?.trim() === 'urn:vim25');
      return childText(ns, 'version')?.trim() || null;
    } catch {
      return null;
    }
  }

  private async post(method: string, body: string, opts: CallOptions): Promise<XmlNode | undefined> {
    const headers: Record<string, string> = {
      'Content-Type': 'text/xml; charset=utf-8',
      SOAPAction: `urn:vim25/${this.apiVersion}`,
      Accept: 'text/xml',
    };
    if (this.cookie) headers.Cookie = this.cookie;
    const res = await httpExchange(this.endpoint, {
      method: 'POST',
      path: this.path,
      headers,
      body,
      timeoutMs: this.timeoutMs + (opts.extraTimeoutMs ?? 0),
      signal: opts.signal,
    });
    this.keepCookie(res.headers['set-cookie']);
    let doc: Record<string, XmlNode>;
    try {
      doc = parseXml(res.body);
    } catch (err) {
      throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${method}: unreadable answer (HTTP ${res.status})`, serverCode: `HTTP ${res.status}` }, { cause: err });
    }
    const soapBody = child(child(doc, 'Envelope'), 'Body');
    const fault = child(soapBody, 'Fault');
    if (fault !== undefined) throw faultError(readSoapFault(fault), method);
    if (res.status !== 200 || soapBody === undefined) {
      throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${method}: HTTP ${res.status} from the server`, serverCode: `HTTP ${res.status}` });
    }
    const response = child(soapBody, `${method}Response`);
    if (response === undefined) {
      throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${method}: the answer has no ${method}Response`, serverCode: 'BadResponse' });
    }
    const value = typeof response === 'string' ? undefined : response.returnval;
    return value as XmlNode | undefined;
  }

  private keepCookie(setCookie: string | string[] | undefined): void {
    for (const header of setCookie ?? []) {
      const first = header.split(';')[0].trim();
      if (first.startsWith(`${COOKIE_NAME}=`)) this.cookie = first;
    }
  }
}

function readServiceContent(node: XmlNode | undefined): ServiceContent {
  const ref = (name: string): ManagedObjectReference => {
    const r = readMoRef(child(node, name));
    if (!r) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `ServiceContent without ${name}`, serverCode: 'BadResponse' });
    return r;
  };
  const about = child(node, 'about');
  const field = (name: string) => text(child(about, name))?.trim() ?? '';
  return {
    rootFolder: ref('rootFolder'),
    propertyCollector: ref('propertyCollector'),
    sessionManager: ref('sessionManager'),
    about: {
      name: field('name'),
      fullName: field('fullName'),
      version: field('version'),
      build: field('build'),
      apiType: field('apiType'),
      apiVersion: field('apiVersion'),
      instanceUuid: field('instanceUuid'),
    },
  };
}
