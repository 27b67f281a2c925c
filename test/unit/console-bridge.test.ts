import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startConsoleBridge, type ConsoleBridge } from '../../electron/core/console/bridge';
import type { ConsoleStream } from '../../electron/core/providers/provider';
import { startVncServer, type VncServer } from '../peers/vnc';

const ORIGIN = 'http://127.0.0.1:5555';

function rfbConsole(vnc: VncServer): () => Promise<ConsoleStream> {
  return async () => {
    const socket = net.connect(vnc.port, vnc.host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    return { protocol: 'rfb', stream: socket, close: () => socket.destroy() };
  };
}

/** Reads exactly n bytes from the WebSocket's binary messages. */
function reader(ws: WebSocket) {
  let buf = Buffer.alloc(0);
  const waiters: Array<() => void> = [];
  ws.on('message', (data: Buffer) => {
    buf = Buffer.concat([buf, data]);
    waiters.splice(0).forEach((w) => w());
  });
  return async (n: number): Promise<Buffer> => {
    while (buf.length < n) await new Promise<void>((r) => waiters.push(r));
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    return out;
  };
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

describe('console bridge', () => {
  let vnc: VncServer;
  let bridge: ConsoleBridge;

  beforeAll(async () => {
    vnc = await startVncServer({ width: 320, height: 200 });
    bridge = await startConsoleBridge({ isAllowedOrigin: (o) => o === ORIGIN });
  });
  afterAll(async () => {
    await bridge?.close();
    await vnc?.stop();
  });

  it('relays a real RFB handshake from a VNC server', async () => {
    const ticket = bridge.issue('rfb', rfbConsole(vnc));
    const ws = new WebSocket(ticket.url, { origin: ORIGIN });
    const read = reader(ws);
    await opened(ws);
    const version = (await read(12)).toString('latin1');
    expect(version).toMatch(/^RFB 003\.00[378]\n$/);
    ws.send(Buffer.from('RFB 003.008\n', 'latin1'));
    const count = (await read(1))[0];
    const types = [...(await read(count))];
    expect(types).toContain(1); // None, as the server was started with
    ws.send(Buffer.from([1]));
    expect((await read(4)).readUInt32BE(0)).toBe(0); // SecurityResult OK
    ws.send(Buffer.from([1])); // ClientInit: shared
    const init = await read(24);
    expect(init.readUInt16BE(0)).toBe(vnc.width);
    expect(init.readUInt16BE(2)).toBe(vnc.height);
    ws.close();
  });

  it('refuses a ticket the second time', async () => {
    const ticket = bridge.issue('rfb', rfbConsole(vnc));
    const first = new WebSocket(ticket.url, { origin: ORIGIN });
    await opened(first);
    first.close();
    const second = new WebSocket(ticket.url, { origin: ORIGIN });
    await expect(opened(second)).rejects.toThrow(/403/);
  });

  it('refuses another origin and a wrong token', async () => {
    const ticket = bridge.issue('rfb', rfbConsole(vnc));
    await expect(opened(new WebSocket(ticket.url, { origin: 'http://evil.example' }))).rejects.toThrow(/403/);
    const forged = ticket.url.replace(/token=[^&]+/, 'token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await expect(opened(new WebSocket(forged, { origin: ORIGIN }))).rejects.toThrow(/403/);
    // the genuine ticket was not burnt by the refused attempts
    const ok = new WebSocket(ticket.url, { origin: ORIGIN });
    await opened(ok);
    ok.close();
  });

  it('closes the console when the tab closes its socket', async () => {
    let closed = false;
    const ticket = bridge.issue('rfb', async () => {
      const c = await rfbConsole(vnc)();
      return { ...c, close: () => ((closed = true), c.close()) };
    });
    const ws = new WebSocket(ticket.url, { origin: ORIGIN });
    const read = reader(ws);
    await opened(ws);
    await read(12);
    ws.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(true);
  });
});
