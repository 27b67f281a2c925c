// Web mode: serves the built renderer and the contract (shared/wire.ts) over one
// WebSocket on a loopback address, for browsers, headless tests and machines
// without an Electron binary. A random token guards the API; the Origin and
// Host headers must name this very host, which defeats cross-site pages and DNS
// rebinding.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { EVENTS, type Channel, type EventName } from '../../shared/contract';
import type { PolyvisorCore } from '../core/app-core';
import { PolyvisorError, toErrorInfo } from '../../shared/errors';
import { WEB_API_PATH, WEB_TOKEN_PARAM, type ClientMessage, type ServerMessage } from '../../shared/wire';
import { createStaticHandler } from './static';
import { eventText } from './event-text';
import { PageOutbox } from './page-outbox';

export interface WebHostOptions {
  core: Pick<PolyvisorCore, 'dispatch' | 'on'>;
  /** the built renderer (vite output) */
  staticDir?: string;
  /** 0 = a free port */
  port?: number;
  /** must be a loopback address */
  host?: string;
}

export interface WebHost {
  /** http://127.0.0.1:PORT/?token=… — open this in a browser */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core, staticDir = 'dist-renderer', port = 0, host = '127.0.0.1' } = options;
  if (!isLoopback(host)) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `Web mode only listens on a loopback address, not ${host}` });
  }
  const token = randomBytes(32).toString('hex');
  const tokenDigest = digest(token);
  let origin = '';
  let hostHeader = '';

  const serveStatic = createStaticHandler(staticDir);
  const server = http.createServer((req, res) => {
    if (req.headers.host !== hostHeader) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('Misdirected request\n');
      return;
    }
    serveStatic(req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(req);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  function checkUpgrade(req: http.IncomingMessage): string | null {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== WEB_API_PATH) return '404 Not Found';
    if (req.headers.host !== hostHeader) return '421 Misdirected Request';
    if (req.headers.origin !== origin) return '403 Forbidden';
    const presented = url.searchParams.get(WEB_TOKEN_PARAM);
    if (!presented || !timingSafeEqual(digest(presented), tokenDigest)) return '401 Unauthorized';
    return null;
  }

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      void handleMessage(ws, data.toString());
    });
  });

  async function handleMessage(ws: WebSocket, text: string): Promise<void> {
    let message: ClientMessage;
    try {
      message = parseClientMessage(text);
    } catch (e) {
      const id = requestIdOf(text);
      if (id !== undefined) send(ws, { type: 'reply', id, reply: { ok: false, error: toErrorInfo(e) } });
      return;
    }
    let reply: ServerMessage;
    try {
      const value = await core.dispatch(message.channel, message.args);
      reply = { type: 'reply', id: message.id, reply: { ok: true, value } };
    } catch (e) {
      reply = { type: 'reply', id: message.id, reply: { ok: false, error: toErrorInfo(e) } };
    }
    send(ws, reply);
  }

  // Every core event goes to every connected page, a frame at a time with the inventory deltas
  // merged while they wait (page-outbox.ts); serialised once per event, a large one across
  // turns (event-text.ts), the events in order; replies do not wait for them.
  /** events whose text is still being made, and the ones after them */
  let waiting = 0;
  let events = Promise.resolve();
  const broadcast = (bytes: Buffer) => {
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(bytes, { binary: false });
    }
  };
  const sendEvent = (event: EventName, payload: unknown) => {
    if (wss.clients.size === 0) return;
    const text = eventText(event, payload);
    if (!waiting && Buffer.isBuffer(text)) return broadcast(text);
    waiting++;
    events = events
      .then(async () => broadcast(await text))
      .catch((e: unknown) => console.error(`[web host] a ${event} event could not be sent: ${toErrorInfo(e).message}`))
      .finally(() => waiting--);
  };
  const backlog = () => {
    let most = 0;
    for (const client of wss.clients) most = Math.max(most, client.bufferedAmount);
    return most;
  };
  const outbox = new PageOutbox({ send: sendEvent, backlog });
  const unsubscribers = EVENTS.map((event) =>
    core.on(event, (payload) => {
      if (wss.clients.size > 0) outbox.push(event, payload);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const boundPort = (server.address() as net.AddressInfo).port;
  const authority = `${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  hostHeader = authority;
  origin = `http://${authority}`;

  let closed: Promise<void> | undefined;
  return {
    url: `${origin}/?${WEB_TOKEN_PARAM}=${token}`,
    port: boundPort,
    token,
    close() {
      closed ??= (async () => {
        for (const unsubscribe of unsubscribers) unsubscribe();
        outbox.close();
        for (const client of wss.clients) client.close(1001, 'Polyvisor is shutting down');
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closed;
    },
  };
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(message);
  } catch (e) {
    if (message.type !== 'reply') return;
    text = JSON.stringify({ type: 'reply', id: message.id, reply: { ok: false, error: toErrorInfo(e) } });
  }
  ws.send(text);
}

function parseClientMessage(text: string): ClientMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid('The message is not JSON');
  }
  const m = raw as Partial<ClientMessage> | null;
  if (!m || typeof m !== 'object' || m.type !== 'invoke') throw invalid('Expected {type:"invoke", id, channel, args}');
  if (typeof m.id !== 'number' || !Number.isFinite(m.id)) throw invalid('The request id must be a number');
  // the channel and its arguments are checked by the core's dispatch(), like every other host's calls
  return { type: 'invoke', id: m.id, channel: m.channel as Channel, args: m.args as unknown[] };
}

function requestIdOf(text: string): number | undefined {
  try {
    const id = (JSON.parse(text) as { id?: unknown } | null)?.id;
    return typeof id === 'number' && Number.isFinite(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

function invalid(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message });
}

/** Fixed-length digests let timingSafeEqual compare tokens of any length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function isLoopback(host: string): boolean {
  if (host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}
