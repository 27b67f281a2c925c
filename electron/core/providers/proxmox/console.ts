// Proxmox VE consoles: `vncproxy` (graphical) or `termproxy` (text) start a proxy
// with a one-time VNC ticket, then `vncwebsocket` carries it over the API port.
// VNC authentication with the ticket (or the generated password) happens here, so
// the renderer's VNC client sees a plain handshake and never the ticket; text
// consoles speak termproxy's packets (`0:LEN:DATA`, `1:COLS:ROWS:`, `2` ping).
// A node's own shell is the same termproxy/vncwebsocket pair on `/nodes/{node}`.

import { Duplex } from 'node:stream';
import WebSocket, { createWebSocketStream } from 'ws';
import { PolyvisorError } from '../../../../shared/errors';
import { authenticateRfb, RfbNoAuthFront } from '../common/rfb-auth';
import { certificateErrorFor } from '../../tls/classify';
import { httpsAgent } from '../../tls/trust';
import type { ConsoleStream } from '../provider';
import { readProxyTicket, type ProxyTicket } from './answers';
import type { PveClient } from './client';

export interface PveGuestRef {
  type: 'qemu' | 'lxc';
  vmid: number;
  node: string;
  status: string;
  name: string;
}

const OPEN_TIMEOUT_MS = 15_000;
/** PVE's own terminal client pings every 30 s so the proxy does not time out */
const TERM_PING_MS = 30_000;

export async function openPveConsole(client: PveClient, guest: PveGuestRef, protocol: 'rfb' | 'text'): Promise<ConsoleStream> {
  if (guest.status !== 'running' && guest.status !== 'paused') {
    throw new PolyvisorError({
      code: 'UNSUPPORTED',
      message: `${guest.name} is ${guest.status || 'not running'}: its console is there only while it runs.`,
      serverCode: guest.status,
    });
  }
  const base = `/nodes/${encodeURIComponent(guest.node)}/${guest.type}/${guest.vmid}`;
  if (protocol === 'rfb') {
    const proxy = await client.post(`${base}/vncproxy`, readProxyTicket, { websocket: 1 });
    const ws = await openWebSocket(client, base, proxy);
    const raw = createWebSocketStream(ws);
    // a failing socket also ends the stream, which the console bridge reports; without a listener it would throw
    raw.on('error', () => undefined);
    try {
      const leftover = await authenticateRfb(raw, proxy.password ?? proxy.ticket);
      const front = new RfbNoAuthFront(raw, leftover);
      return { protocol, stream: front, close: () => front.destroy() };
    } catch (e) {
      raw.destroy();
      throw e;
    }
  }
  return openTermproxy(client, base);
}

/** A shell on the node itself (PVE's node Shell: `login` on a pty), as a text console. */
export async function openNodeShell(client: PveClient, node: string, online: boolean): Promise<ConsoleStream> {
  if (!online) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${node} is offline: its shell is there only while it runs.` });
  return openTermproxy(client, `/nodes/${encodeURIComponent(node)}`);
}

async function openTermproxy(client: PveClient, base: string): Promise<ConsoleStream> {
  const proxy = await client.post(`${base}/termproxy`, readProxyTicket, {});
  const ws = await openWebSocket(client, base, proxy);
  return termproxyConsole(ws, proxy);
}

async function openWebSocket(client: PveClient, base: string, proxy: ProxyTicket): Promise<WebSocket> {
  const info = await client.connectionInfo();
  const query = new URLSearchParams({ port: String(proxy.port), vncticket: proxy.ticket });
  const ws = new WebSocket(`${info.baseUrl}${base}/vncwebsocket?${query}`, ['binary'], {
    // the user's trust, including a pinned certificate accepted despite its dates; one socket per console
    agent: httpsAgent(info.trust, { keepAlive: false }),
    headers: info.headers,
    perMessageDeflate: false,
    handshakeTimeout: OPEN_TIMEOUT_MS,
  });
  ws.binaryType = 'nodebuffer';
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => {
        const reason = (res.statusMessage ?? '').trim() || `HTTP ${res.statusCode}`;
        res.resume();
        reject(
          new PolyvisorError({
            code: res.statusCode === 401 ? 'AUTH_FAILED' : 'SERVER_ERROR',
            message: `Proxmox VE refused the console connection: ${reason}`,
            serverCode: String(res.statusCode),
            serverParams: [reason],
          }),
        );
      });
    });
  } catch (e) {
    ws.terminate();
    if (e instanceof PolyvisorError) throw e;
    // a certificate that cannot be read to show it leaves the connection failure below to explain
    const certError = await certificateErrorFor(e, info.host, info.port, info.trust).catch(() => null);
    throw (
      certError ??
      new PolyvisorError({ code: 'CONNECTION_FAILED', message: `Cannot open the console at ${info.host}:${info.port}: ${(e as Error).message}` }, { cause: e })
    );
  }
  ws.on('error', () => undefined); // followed by 'close', which ends the console
  return ws;
}

/** The terminal as a byte stream: logs in with the ticket, frames input, follows resizes. */
async function termproxyConsole(ws: WebSocket, proxy: ProxyTicket): Promise<ConsoleStream> {
  ws.send(`${proxy.user}:${proxy.ticket}\n`);
  const first = await new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(() => reject(new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'The terminal proxy did not answer the login.' })), OPEN_TIMEOUT_MS);
    ws.once('message', (data: Buffer) => {
      clearTimeout(timer);
      resolve(data);
    });
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      reject(new PolyvisorError({ code: 'AUTH_FAILED', message: `The terminal proxy refused the console ticket${reason.length ? `: ${reason.toString()}` : ''}.`, serverCode: String(code) }));
    });
  }).catch((e) => {
    ws.terminate();
    throw e;
  });
  if (!first.toString('latin1').startsWith('OK')) {
    ws.terminate();
    throw new PolyvisorError({ code: 'AUTH_FAILED', message: 'The terminal proxy refused the console ticket.', serverParams: [first.toString('utf8').slice(0, 80)] });
  }
  ws.removeAllListeners('close');

  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      if (ws.readyState !== ws.OPEN) return callback(new Error('the terminal is closed'));
      ws.send(Buffer.concat([Buffer.from(`0:${chunk.length}:`, 'latin1'), chunk]), { binary: true }, callback);
    },
    final(callback) {
      ws.close(1000);
      callback();
    },
    destroy(error, callback) {
      clearInterval(ping);
      ws.terminate();
      callback(error);
    },
  });
  const rest = first.subarray(2);
  if (rest.length) stream.push(rest);
  ws.on('message', (data: Buffer) => stream.push(data));
  ws.on('close', () => {
    clearInterval(ping);
    stream.push(null);
    stream.destroy();
  });
  const ping = setInterval(() => ws.readyState === ws.OPEN && ws.send('2'), TERM_PING_MS);
  ping.unref?.();
  return {
    protocol: 'text',
    stream,
    resize(cols, rows) {
      if (ws.readyState === ws.OPEN && Number.isInteger(cols) && Number.isInteger(rows) && cols > 0 && rows > 0) ws.send(`1:${cols}:${rows}:`);
    },
    close: () => stream.destroy(),
  };
}
