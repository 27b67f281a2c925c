// HTTP(S) front of the simulator: JSON-RPC at POST /jsonrpc, XML-RPC at any
// other POST path (xapi answers XML-RPC on "/" and every path below it), and a
// hook for HTTP CONNECT (the console relay of a later issue plugs in there).
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { CallOutcome, SimCore } from './core';
import type { EventBatch } from './methods/session';
import {
  type ChunkSink,
  escapeXml,
  failureResponse,
  faultResponse,
  parseMethodCall,
  successResponseChunks,
  writeTyped,
  XmlRpcParseError,
} from './xmlrpc';

export type ConnectHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

/** A handler of one non-RPC path (xapi's HTTP handlers: PUT /import_metadata, …); answers JSON. */
export type HttpHandler = (query: URLSearchParams, body: string) => Promise<unknown> | unknown;

/** A handler of one GET path that writes its own answer (xapi's rrd_updates: an XML document, not JSON). */
export type RawHttpHandler = (query: URLSearchParams, res: http.ServerResponse) => void;

export interface ServerOptions {
  tls?: { key: string; cert: string };
  /** false: behave like an old host without JSON-RPC (POST /jsonrpc is answered as XML-RPC) */
  jsonRpc: boolean;
}

export class XapiHttpServer {
  private server: http.Server | https.Server;
  private readonly sockets = new Set<Duplex>();
  /** keyed by 'METHOD /path' */
  readonly handlers = new Map<string, HttpHandler>();
  /** keyed by 'METHOD /path'; answers as the handler writes them */
  readonly rawHandlers = new Map<string, RawHttpHandler>();
  connectHandler: ConnectHandler = (_req, socket) => {
    socket.end('HTTP/1.0 404 Not Found\r\n\r\n');
  };

  constructor(
    private readonly core: SimCore,
    private readonly opts: ServerOptions,
  ) {
    this.server = this.create();
  }

  private create(): http.Server | https.Server {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.onRequest(req, res);
    const server = this.opts.tls
      ? https.createServer({ key: this.opts.tls.key, cert: this.opts.tls.cert, minVersion: 'TLSv1.2' }, handler)
      : http.createServer(handler);
    server.keepAliveTimeout = 30_000;
    server.requestTimeout = 0; // event.from long polls
    server.on('connection', (s) => this.track(s));
    server.on('secureConnection', (s) => this.track(s));
    server.on('connect', (req, socket, head) => {
      this.track(socket);
      this.connectHandler(req, socket, head);
    });
    server.on('clientError', (_err, socket) => socket.destroy());
    return server;
  }

  private track(s: Duplex): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen({ host, port, exclusive: true }, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  /** Serve a new certificate from now on (new TLS handshakes). */
  setCertificate(key: string, cert: string): void {
    (this.server as https.Server).setSecureContext({ key, cert });
    if (this.opts.tls) this.opts.tls = { key, cert };
  }

  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.dropConnections();
    await closed;
    this.server = this.create();
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    const raw = this.rawHandlers.get(`${req.method} ${path}`);
    if (raw) {
      raw(new URLSearchParams(query), res);
      return;
    }
    const handler = this.handlers.get(`${req.method} ${path}`);
    if (handler || req.method !== 'POST') {
      if (handler) await this.onHandler(handler, new URLSearchParams(query), req, res);
      else this.onPage(req, res);
      return;
    }
    const body = await readBodyOrDrop(req, res);
    if (body === undefined) return;
    if (path === '/jsonrpc' && this.opts.jsonRpc) await this.onJsonRpc(body, res);
    else await this.onXmlRpc(body, res);
  }

  private onPage(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.method === 'GET' && (req.url === '/' || req.url === '')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>XAPI simulator</body></html>');
    } else res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not found</body></html>');
  }

  private async onHandler(handler: HttpHandler, query: URLSearchParams, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBodyOrDrop(req, res);
    if (body === undefined) return;
    const answer = await Promise.resolve()
      .then(() => handler(query, body))
      .catch((e: unknown) => ({ error: (e as { description?: string[] }).description ?? ['INTERNAL_ERROR', String(e)] }));
    if (!res.destroyed) send(res, 'application/json', JSON.stringify(answer ?? null));
  }

  private async onJsonRpc(body: string, res: http.ServerResponse): Promise<void> {
    let request: { jsonrpc?: string; method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(body);
      if (!request || typeof request !== 'object' || typeof request.method !== 'string') throw new Error('no method');
    } catch (e) {
      sendInternalError(res, `JSON-RPC parse error: ${(e as Error).message}`);
      return;
    }
    const params = Array.isArray(request.params) ? request.params : request.params === undefined ? [] : [request.params];
    const outcome = await this.core.call(request.method as string, params);
    if (res.destroyed) return;
    const v2 = request.jsonrpc === '2.0';
    const id = request.id ?? null;
    let response: unknown;
    if (outcome.ok) {
      const result = outcome.value === undefined ? null : outcome.value;
      response = v2 ? { jsonrpc: '2.0', result, id } : { result, error: null, id };
    } else {
      const [code, ...data] = outcome.description;
      response = v2 ? { jsonrpc: '2.0', error: { code: 1, message: code, data }, id } : { result: null, error: outcome.description, id };
    }
    send(res, 'application/json', JSON.stringify(response));
    this.core.answered(request.method as string);
  }

  private async onXmlRpc(body: string, res: http.ServerResponse): Promise<void> {
    let call;
    try {
      call = parseMethodCall(body);
    } catch (e) {
      const message = e instanceof XmlRpcParseError ? e.message : 'Malformed request';
      send(res, 'text/xml', faultResponse(-1, `Xmlrpc.Parse_error: ${message}`));
      return;
    }
    const outcome = await this.core.call(call.methodName, call.params);
    if (res.destroyed) return;
    send(res, 'text/xml', this.encodeXml(outcome));
    this.core.answered(call.methodName);
  }

  private encodeXml(outcome: CallOutcome): string | Buffer[] {
    if (!outcome.ok) return failureResponse(outcome.description);
    const type = outcome.type;
    if (type === 'eventBatch') return successResponseChunks((sink) => this.writeEventBatch(outcome.value as EventBatch, sink));
    return successResponseChunks((sink) => writeTyped(this.core.xml, type, outcome.value, sink));
  }

  private writeEventBatch(batch: EventBatch, sink: ChunkSink): void {
    const xml = this.core.xml;
    const model = this.core.model;
    sink.push('<value><struct><member><name>events</name><value><array><data>');
    for (const e of batch.events) {
      const cls = model.className(e.class) ?? e.class;
      sink.push(
        '<value><struct>' +
        `<member><name>id</name><value>${e.id}</value></member>` +
        `<member><name>timestamp</name><value><dateTime.iso8601>${e.timestamp}</dateTime.iso8601></value></member>` +
        `<member><name>class</name><value>${escapeXml(e.class)}</value></member>` +
        `<member><name>operation</name><value>${e.operation}</value></member>` +
        `<member><name>ref</name><value>${escapeXml(e.ref)}</value></member>` +
        (e.snapshot ? `<member><name>snapshot</name>${xml.forRecord(cls)(e.snapshot)}</member>` : '') +
          '</struct></value>',
      );
    }
    let counts = '';
    for (const k in batch.valid_ref_counts) counts += `<member><name>${k}</name><value>${batch.valid_ref_counts[k]}</value></member>`;
    sink.push(
      '</data></array></value></member>' +
        `<member><name>valid_ref_counts</name><value><struct>${counts}</struct></value></member>` +
        `<member><name>token</name><value>${escapeXml(batch.token)}</value></member>` +
        '</struct></value>',
    );
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The request's body, or undefined once the connection was dropped because it could not be read. */
async function readBodyOrDrop(req: http.IncomingMessage, res: http.ServerResponse): Promise<string | undefined> {
  try {
    return await readBody(req);
  } catch {
    res.destroy();
    return undefined;
  }
}

function send(res: http.ServerResponse, contentType: string, body: string | Buffer[]): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.reduce((n, b) => n + b.length, 0);
  res.writeHead(200, { 'content-type': contentType, 'content-length': length });
  if (typeof body === 'string') res.end(body);
  else {
    for (const chunk of body) res.write(chunk);
    res.end();
  }
}

/** What xapi answers to a request it cannot parse at the RPC level. */
function sendInternalError(res: http.ServerResponse, detail: string): void {
  const body = `<html><body><h1>HTTP 500 internal server error</h1>An unexpected error occurred; please wait a while and try again. If the problem persists, please contact your support representative.<h1> Additional information </h1>${escapeXml(detail)}</body></html>`;
  res.writeHead(500, { 'content-type': 'text/html', connection: 'close', 'cache-control': 'no-cache, no-store' });
  res.end(body);
}
