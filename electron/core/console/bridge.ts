// The console bridge: a WebSocket server on 127.0.0.1 that relays one console
// per connection between the renderer (noVNC / xterm) and a provider's console
// stream. The renderer never talks to a hypervisor. Each console gets a
// one-time token that expires quickly and only works from an allowed origin.

import { decodeControlFrame, type ConsoleControlFrame } from '../../../shared/console-frames';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { ConsoleTicket } from '../../../shared/contract';
import type { ConsoleStream } from '../providers/provider';

export type ConsoleOpener = () => Promise<ConsoleStream>;

export interface ConsoleBridgeOptions {
  /** which page origins may open consoles; e.g. the web host's own origin, or the Electron app's */
  isAllowedOrigin: (origin: string | undefined) => boolean;
  /** how long an unused ticket stays valid */
  ticketTtlMs?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
}

interface PendingTicket {
  token: Buffer;
  protocol: 'rfb' | 'text';
  open: ConsoleOpener;
  expires: number;
}

/** Text consoles take JSON control frames (as text) and input as binary frames. */
type TextControlMessage = ConsoleControlFrame;

export class ConsoleBridge {
  private readonly server = http.createServer((_req, res) => {
    res.writeHead(404).end();
  });
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly pending = new Map<string, PendingTicket>();
  private readonly live = new Set<{ ws: WebSocket; console?: ConsoleStream }>();
  private port = 0;

  constructor(private readonly options: ConsoleBridgeOptions) {
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Issues a one-time ticket; the console is opened only when the ticket is used. */
  issue(protocol: 'rfb' | 'text', open: ConsoleOpener): ConsoleTicket {
    this.sweep();
    const id = randomBytes(9).toString('base64url');
    const token = randomBytes(24);
    this.pending.set(id, { token, protocol, open, expires: Date.now() + (this.options.ticketTtlMs ?? 30_000) });
    return {
      url: `ws://127.0.0.1:${this.port}/console/${id}?token=${token.toString('base64url')}`,
      protocol,
    };
  }

  get openConsoles(): number {
    return this.live.size;
  }

  async close(): Promise<void> {
    for (const entry of this.live) {
      entry.console?.close();
      entry.ws.terminate();
    }
    this.live.clear();
    this.pending.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, t] of this.pending) if (t.expires < now) this.pending.delete(id);
  }

  private onUpgrade(req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    const refuse = (status: number, reason: string) => {
      this.options.log?.('warn', `console connection refused: ${reason}`);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/console\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (!match) return refuse(404, 'unknown path');
    if (!this.options.isAllowedOrigin(req.headers.origin)) return refuse(403, `origin ${req.headers.origin ?? '(none)'}`);
    this.sweep();
    const ticket = this.pending.get(match[1]);
    const presented = Buffer.from(url.searchParams.get('token') ?? '', 'base64url');
    if (!ticket || presented.length !== ticket.token.length || !timingSafeEqual(presented, ticket.token)) {
      return refuse(403, 'missing, used or wrong token');
    }
    this.pending.delete(match[1]); // one use only
    this.wss.handleUpgrade(req, socket, head, (ws) => this.relay(ws, ticket));
  }

  private async relay(ws: WebSocket, ticket: PendingTicket): Promise<void> {
    const entry: { ws: WebSocket; console?: ConsoleStream } = { ws };
    this.live.add(entry);
    const pendingInput: RawData[] = [];
    // the terminal sends its size as soon as the socket opens, before the console is there
    let earlyResize: TextControlMessage | null = null;
    const onEarlyMessage = (data: RawData, isBinary: boolean) => {
      if (isBinary || ticket.protocol === 'rfb') pendingInput.push(data);
      else earlyResize = parseControl(data) ?? earlyResize;
    };
    ws.on('message', onEarlyMessage);
    let console: ConsoleStream;
    try {
      console = await ticket.open();
    } catch (e) {
      this.live.delete(entry);
      ws.close(1011, closeReason(e));
      return;
    }
    entry.console = console;
    if (ws.readyState !== ws.OPEN) {
      console.close();
      this.live.delete(entry);
      return;
    }
    ws.off('message', onEarlyMessage);
    const { stream } = console;
    const size = earlyResize as TextControlMessage | null; // set in the listener above
    if (size) void console.resize?.(size.cols, size.rows);
    for (const chunk of pendingInput) stream.write(toBuffer(chunk));

    ws.on('message', (data, isBinary) => {
      if (ticket.protocol === 'text' && !isBinary) {
        const control = parseControl(data);
        if (control?.type === 'resize') void console.resize?.(control.cols, control.rows);
        else if (!control) stream.write(toBuffer(data));
        return;
      }
      stream.write(toBuffer(data));
    });
    stream.on('data', (chunk: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk, { binary: true });
    });
    const finish = () => {
      if (!this.live.delete(entry)) return;
      console.close();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000, 'console closed');
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
    ws.once('close', finish);
  }
}

/**
 * Why the console could not be opened, as `CODE: message` (the error code of shared/errors.ts
 * when known), cut to the 123 bytes a WebSocket close reason may hold.
 */
export function closeReason(e: unknown): string {
  const info = (e as { info?: { code?: unknown } } | null)?.info;
  const message = e instanceof Error ? e.message : String(e);
  const full = typeof info?.code === 'string' ? `${info.code}: ${message}` : message;
  if (Buffer.byteLength(full) <= 123) return full;
  const chars = [...full];
  while (Buffer.byteLength(chars.join('')) > 120) chars.pop();
  return chars.join('') + '…';
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}

function parseControl(data: RawData): TextControlMessage | null {
  return decodeControlFrame(toBuffer(data).toString('utf8'));
}

export async function startConsoleBridge(options: ConsoleBridgeOptions): Promise<ConsoleBridge> {
  const bridge = new ConsoleBridge(options);
  await bridge.listen();
  return bridge;
}
