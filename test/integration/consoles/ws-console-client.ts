// A console client as the renderer is one: a WebSocket to a bridge ticket URL,
// collecting what the console sends back and waiting for text or bytes to appear.

import WebSocket from 'ws';

export class WsConsoleClient {
  private buf = Buffer.alloc(0);
  private readonly waiters: Array<() => void> = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.buf = Buffer.concat([this.buf, data]);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static async connect(url: string, origin: string): Promise<WsConsoleClient> {
    const ws = new WebSocket(url, { origin });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new WsConsoleClient(ws);
  }

  /** everything received so far, as text */
  get text(): string {
    return this.buf.toString('utf8');
  }

  type(text: string): void {
    this.ws.send(Buffer.from(text, 'utf8'), { binary: true });
  }

  resize(cols: number, rows: number): void {
    this.ws.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  /** waits until the received text matches; returns the match */
  async waitForText(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.text.match(pattern);
      if (m) return m;
      if (this.closed) throw new Error(`console closed (${this.closed.code} ${this.closed.reason}) before ${pattern}; got ${JSON.stringify(this.text)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(this.text)}`);
      await this.next(deadline - Date.now());
    }
  }

  /** reads exactly n bytes (RFB) from the front of what was received */
  async read(n: number, timeoutMs = 10_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buf.length < n) {
      if (this.closed) throw new Error(`console closed (${this.closed.code} ${this.closed.reason}) after ${this.buf.length} of ${n} bytes`);
      if (Date.now() > deadline) throw new Error(`timed out reading ${n} bytes (have ${this.buf.length})`);
      await this.next(deadline - Date.now());
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  async waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the console to close');
      await this.next(deadline - Date.now());
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }

  private next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, ms));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    this.waiters.splice(0).forEach((w) => w());
  }
}

/** The RFB handshake up to ServerInit (security type None); returns the framebuffer size. */
export async function rfbHandshake(client: WsConsoleClient): Promise<{ version: string; width: number; height: number; name: string }> {
  const version = (await client.read(12)).toString('latin1');
  if (!/^RFB 003\.00[378]\n$/.test(version)) throw new Error(`not an RFB server: ${JSON.stringify(version)}`);
  client.ws.send(Buffer.from('RFB 003.008\n', 'latin1'));
  const count = (await client.read(1))[0];
  if (count === 0) throw new Error('the server refused the connection');
  const types = [...(await client.read(count))];
  if (!types.includes(1)) throw new Error(`security type None not offered: ${types}`);
  client.ws.send(Buffer.from([1]));
  const result = (await client.read(4)).readUInt32BE(0);
  if (result !== 0) throw new Error(`security result ${result}`);
  client.ws.send(Buffer.from([1])); // ClientInit: shared
  const init = await client.read(24);
  const nameLength = init.readUInt32BE(20);
  const name = (await client.read(nameLength)).toString('utf8');
  return { version: version.trim(), width: init.readUInt16BE(0), height: init.readUInt16BE(2), name };
}
