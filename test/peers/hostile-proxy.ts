// A hostile server for tests: a proxy in front of a real or simulated peer (the
// XAPI and Proxmox simulators, vcsim, a real dockerd) that forwards every request
// untouched, except the ones a rule matches, which get a broken or malicious
// answer instead: a body over the size limit, a trickle, a stall, a truncated
// body, invalid UTF-8, malformed or deeply nested documents, a wrong content type,
// a redirect loop, a reset in the middle of the answer, an endless line.
// Because everything else is the real peer, a client gets past login and the
// first calls and meets the hostile answer exactly where the test wants it.

import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { isPolyvisorError, type ErrorInfo } from '../../shared/errors';
import { makeSelfSignedCert, type ServerCert } from '../sim/xapi/cert';

export type HostileBehaviour =
  /** a 200 answer that streams `bytes` of `filler` after `prefix` (fast, never buffered here); `chunked`: no Content-Length */
  | { kind: 'oversize'; bytes: number; contentType: string; prefix?: string; filler?: string; chunked?: boolean }
  /** a 200 answer whose body arrives one byte every `intervalMs`, forever */
  | { kind: 'trickle'; intervalMs: number; contentType: string; prefix?: string }
  /** headers, then silence */
  | { kind: 'stall'; contentType: string }
  /** Content-Length promises more than is sent, then the connection closes */
  | { kind: 'truncated'; contentType: string; body: string; declaredLength: number }
  /**
   * any status, content type and body (malformed JSON/XML/XML-RPC, invalid UTF-8, deep nesting, wrong type);
   * `keepOpen`: the answer does not end after the body (a stream that goes quiet)
   */
  | { kind: 'body'; status?: number; contentType: string; body: string | Buffer; headers?: Record<string, string>; keepOpen?: boolean }
  /** 302 to the same URL, for ever */
  | { kind: 'redirect-loop' }
  /** the real answer is forwarded for `afterBytes` bytes, then the socket is destroyed */
  | { kind: 'reset'; afterBytes: number }
  /** a 200 chunked answer that is one line without a line feed, growing for ever */
  | { kind: 'endless-line'; contentType: string; chunkBytes?: number }
  /**
   * the real answer, at moments the test chooses: the request reaches the peer once
   * `beforeForward` resolves, and the peer's whole answer reaches the client once `beforeAnswer` resolves
   */
  | { kind: 'hold'; beforeForward?: (req: HostileRequest) => Promise<void>; beforeAnswer?: (req: HostileRequest) => Promise<void> }
  /**
   * the status and headers at once, the peer's answer (streamed) only once `beforeForward` resolves:
   * a server that answers before it has begun the work, as dockerd's /events answers before it subscribes
   */
  | { kind: 'headers-first'; status?: number; headers: Record<string, string>; beforeForward: (req: HostileRequest) => Promise<void> }
  /** the connection closes without an answer: on a `reused` one, a server whose keep-alive timeout ran out as the request came */
  | { kind: 'drop' };

export interface HostileRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** an earlier request came on the same connection (kept alive) */
  reused: boolean;
}

export interface HostileRule {
  match(req: HostileRequest): boolean;
  behaviour: HostileBehaviour;
  /** how many times the rule applies; default for ever */
  times?: number;
}

export type Upstream = { host: string; port: number; tls: boolean } | { socketPath: string };
/** `cert`: serve this certificate instead of a fresh self-signed one (e.g. an expired one) */
export type Listen = { tls: true; host?: string; port?: number; cert?: ServerCert } | { tls: false; host?: string; port?: number } | { socketPath: string };

export interface HostileProxy {
  /** TCP port (0 for a socket listener) */
  port: number;
  socketPath?: string;
  /** the listener's certificate when it speaks TLS */
  cert?: ServerCert;
  setRules(rules: HostileRule[]): void;
  /** requests a rule answered, by rule index */
  hits(): number[];
  /** every request seen, in order (method and url) */
  seen(): string[];
  /** cuts every client connection now, open streams included (a server that drops off the network) */
  dropConnections(): void;
  close(): Promise<void>;
}

/**
 * The error a client call met a hostile answer with. Throws unless the call failed
 * with a typed error a user can read: a PolyvisorError, not INTERNAL, no stack trace.
 */
export async function typedFailure(call: Promise<unknown>): Promise<ErrorInfo> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isPolyvisorError(err)) throw new Error(`expected a typed error, got ${err === null ? 'success' : String(err)}`);
  if (err.code === 'INTERNAL') throw new Error(`expected a typed error, got INTERNAL: ${err.message}`);
  if (/\n\s+at /.test(err.message)) throw new Error(`the message carries a stack trace: ${err.message}`);
  return err.info;
}

/** Collects uncaught exceptions and unhandled rejections in this process until stop(): a hostile answer must cause none. */
export function watchForCrashes(): { readonly crashes: unknown[]; stop(): void } {
  const crashes: unknown[] = [];
  const onCrash = (e: unknown) => crashes.push(e);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return {
    crashes,
    stop() {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    },
  };
}

/** A forward proxy that records every request and CONNECT and refuses them all: set it as HTTP(S)_PROXY to see who uses it. */
export async function startRecordingProxy(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Deeply nested documents, for parsers that recurse. */
export function deepJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

export function deepXml(depth: number, tag = 'a'): string {
  return `<?xml version="1.0"?>${`<${tag}>`.repeat(depth)}${`</${tag}>`.repeat(depth)}`;
}

/** Bytes that are not UTF-8 inside an otherwise plausible document. */
export function invalidUtf8(prefix: string, suffix: string): Buffer {
  return Buffer.concat([Buffer.from(prefix), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xa0, 0xa1]), Buffer.from(suffix)]);
}

export async function startHostileProxy(opts: { upstream: Upstream; listen: Listen; rules?: HostileRule[] }): Promise<HostileProxy> {
  let rules: Array<HostileRule & { left: number }> = [];
  let hitCounts: number[] = [];
  const seen: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<net.Socket>();
  const setRules = (next: HostileRule[]) => {
    rules = next.map((r) => ({ ...r, left: r.times ?? Infinity }));
    hitCounts = next.map(() => 0);
  };
  setRules(opts.rules ?? []);

  const requestsPerSocket = new WeakMap<net.Socket, number>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const earlier = requestsPerSocket.get(req.socket) ?? 0;
    requestsPerSocket.set(req.socket, earlier + 1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: HostileRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks), reused: earlier > 0 };
      seen.push(`${request.method} ${request.url}`);
      const index = rules.findIndex((r) => r.left > 0 && r.match(request));
      if (index === -1) {
        forward(request, res, opts.upstream);
        return;
      }
      rules[index].left--;
      hitCounts[index]++;
      misbehave(rules[index].behaviour, request, res, opts.upstream, timers);
    });
  };

  let cert: ServerCert | undefined;
  let server: http.Server | https.Server;
  if ('tls' in opts.listen && opts.listen.tls) {
    cert = opts.listen.cert ?? (await makeSelfSignedCert(opts.listen.host ?? '127.0.0.1'));
    server = https.createServer({ key: cert.key, cert: cert.cert }, handler);
  } else {
    server = http.createServer(handler);
  }
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // a client that gives up on a trickle must not leave the proxy with an error it cannot handle
  server.on('clientError', (_err, socket) => socket.destroy());

  const socketPath = 'socketPath' in opts.listen ? opts.listen.socketPath : undefined;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (socketPath) {
      rmSync(socketPath, { force: true });
      server.listen(socketPath, () => resolve());
    } else server.listen('port' in opts.listen ? (opts.listen.port ?? 0) : 0, 'host' in opts.listen && opts.listen.host ? opts.listen.host : '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    socketPath,
    cert,
    setRules,
    hits: () => [...hitCounts],
    seen: () => [...seen],
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    async close() {
      for (const t of timers) clearInterval(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function upstreamRequest(upstream: Upstream, req: HostileRequest, onResponse: (res: http.IncomingMessage) => void): http.ClientRequest {
  const headers = { ...req.headers };
  delete headers['content-length'];
  const common = { method: req.method, path: req.url, headers: { ...headers, 'content-length': String(req.body.length) } };
  if ('socketPath' in upstream) return http.request({ ...common, socketPath: upstream.socketPath }, onResponse);
  headers.host = `${upstream.host}:${upstream.port}`;
  const options = { ...common, host: upstream.host, port: upstream.port, headers: { ...common.headers, host: headers.host } };
  // the proxy is the test's peer, not the client under test: it may talk to a self-signed upstream
  return upstream.tls ? https.request({ ...options, rejectUnauthorized: false }, onResponse) : http.request(options, onResponse);
}

function forward(req: HostileRequest, res: http.ServerResponse, upstream: Upstream, cutAfter?: number): void {
  const out = upstreamRequest(upstream, req, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    // a stream that has nothing to say yet (Docker's /events) must still reach the client as answered
    res.flushHeaders();
    if (cutAfter === undefined) {
      up.pipe(res);
      return;
    }
    let sent = 0;
    // flush what was written, then cut the connection without ending the answer
    const cut = () => {
      if (cutting) return;
      cutting = true;
      setTimeout(() => res.socket?.destroy(), 20);
    };
    up.on('data', (chunk: Buffer) => {
      const room = cutAfter - sent;
      if (room <= 0) return;
      res.write(chunk.subarray(0, room));
      sent += Math.min(room, chunk.length);
      if (sent >= cutAfter) {
        cut();
        up.destroy();
      }
    });
    up.on('end', cut);
  });
  let cutting = false;
  // once the cut is under way, the upstream request failing (we destroyed its answer) changes nothing
  out.on('error', () => cutting || res.socket?.destroy());
  out.end(req.body);
}

function misbehave(b: HostileBehaviour, req: HostileRequest, res: http.ServerResponse, upstream: Upstream, timers: Set<NodeJS.Timeout>): void {
  const every = (ms: number, fn: () => boolean) => {
    const t = setInterval(() => {
      if (res.destroyed || !fn()) {
        clearInterval(t);
        timers.delete(t);
      }
    }, ms);
    timers.add(t);
    res.on('close', () => {
      clearInterval(t);
      timers.delete(t);
    });
  };
  switch (b.kind) {
    case 'oversize': {
      const length = b.chunked ? {} : { 'content-length': String(b.bytes + Buffer.byteLength(b.prefix ?? '')) };
      res.writeHead(200, { 'content-type': b.contentType, ...length });
      if (b.prefix) res.write(b.prefix);
      const block = Buffer.alloc(64 * 1024, b.filler ?? ' ');
      let left = b.bytes;
      const pump = () => {
        while (left > 0) {
          const n = Math.min(left, block.length);
          left -= n;
          if (!res.write(n === block.length ? block : block.subarray(0, n))) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined); // the client hanging up early is the expected outcome
      pump();
      return;
    }
    case 'trickle': {
      res.writeHead(200, { 'content-type': b.contentType });
      if (b.prefix) res.write(b.prefix);
      every(b.intervalMs, () => res.write(' ') || true);
      return;
    }
    case 'stall':
      res.writeHead(200, { 'content-type': b.contentType });
      res.flushHeaders();
      return;
    case 'truncated':
      res.writeHead(200, { 'content-type': b.contentType, 'content-length': String(b.declaredLength) });
      res.write(b.body);
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    case 'body':
      res.writeHead(b.status ?? 200, { 'content-type': b.contentType, ...(b.headers ?? {}) });
      if (b.keepOpen) res.write(b.body);
      else res.end(b.body);
      return;
    case 'headers-first':
      res.writeHead(b.status ?? 200, b.headers);
      res.flushHeaders();
      void b.beforeForward(req).then(
        () => {
          const out = upstreamRequest(upstream, req, (up) => up.pipe(res));
          out.on('error', () => res.socket?.destroy());
          res.on('close', () => out.destroy());
          out.end(req.body);
        },
        () => res.socket?.destroy(),
      );
      return;
    case 'redirect-loop':
      res.writeHead(302, { location: req.url, 'content-length': '0' });
      res.end();
      return;
    case 'reset':
      forward(req, res, upstream, b.afterBytes);
      return;
    case 'drop':
      res.socket?.destroy();
      return;
    case 'hold':
      void hold(b, req, res, upstream);
      return;
    case 'endless-line': {
      res.writeHead(200, { 'content-type': b.contentType });
      const block = Buffer.alloc(b.chunkBytes ?? 256 * 1024, 'x');
      every(5, () => res.write(block) || true);
      return;
    }
  }
}

async function hold(b: Extract<HostileBehaviour, { kind: 'hold' }>, req: HostileRequest, res: http.ServerResponse, upstream: Upstream): Promise<void> {
  try {
    await b.beforeForward?.(req);
    const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const out = upstreamRequest(upstream, req, (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => resolve({ status: up.statusCode ?? 502, headers: up.headers, body: Buffer.concat(chunks) }));
        up.on('error', reject);
      });
      out.on('error', reject);
      out.end(req.body);
    });
    await b.beforeAnswer?.(req);
    const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
    delete headers['transfer-encoding'];
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  } catch {
    // a hook or the peer failed: the client sees a dropped connection, the test sees its own failure
    res.socket?.destroy();
  }
}
