// VNC authentication done in the main process, so a console password (e.g. a
// Proxmox VNC ticket) never reaches the renderer: `authenticateRfb` runs the RFB
// handshake with the server up to ClientInit, and `RfbNoAuthFront` then shows the
// renderer's VNC client a fresh handshake with security type None and relays the rest.

import { createCipheriv } from 'node:crypto';
import { Duplex } from 'node:stream';
import { PolyvisorError } from '../../../../shared/errors';

const VERSION_38 = Buffer.from('RFB 003.008\n', 'latin1');
const SECURITY_NONE = 1;
const SECURITY_VNC_AUTH = 2;

/** The DES response to a VNC challenge: the password's first 8 bytes, each bit-reversed, as the key. */
export function vncAuthResponse(password: string, challenge: Buffer): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) key[i] = reverseBits(key[i]);
  // single DES = two-key triple DES with both keys equal (plain DES is not in OpenSSL 3's default provider)
  const cipher = createCipheriv('des-ede-ecb', Buffer.concat([key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

function reverseBits(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
}

/** Reads exact byte counts from a stream in paused mode, keeping what is left over. */
class ExactReader {
  private buf = Buffer.alloc(0);
  constructor(private readonly stream: Duplex) {}

  read(n: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        while (this.buf.length < n) {
          const chunk = this.stream.read() as Buffer | null;
          if (chunk === null) return false;
          this.buf = Buffer.concat([this.buf, chunk]);
        }
        const out = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        resolve(out);
        return true;
      };
      if (attempt()) return;
      const cleanup = () => {
        this.stream.off('readable', onReadable);
        this.stream.off('end', onEnd);
        this.stream.off('close', onEnd);
        this.stream.off('error', onError);
      };
      const onReadable = () => {
        if (attempt()) cleanup();
      };
      const onEnd = () => {
        cleanup();
        reject(new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'The VNC server closed the connection during the handshake.' }));
      };
      const onError = (e: Error) => {
        cleanup();
        reject(new PolyvisorError({ code: 'CONNECTION_FAILED', message: `The VNC connection failed during the handshake: ${e.message}` }, { cause: e }));
      };
      this.stream.on('readable', onReadable);
      this.stream.once('end', onEnd);
      this.stream.once('close', onEnd);
      this.stream.once('error', onError);
    });
  }

  /** bytes read past the handshake: the start of the server's ServerInit */
  leftover(): Buffer {
    return this.buf;
  }
}

/**
 * Runs the client side of the RFB handshake (3.3, 3.7 or 3.8) with `password` for VNC
 * authentication, leaving `upstream` ready for ClientInit. Returns bytes already read beyond.
 */
export async function authenticateRfb(upstream: Duplex, password: string): Promise<Buffer> {
  const reader = new ExactReader(upstream);
  const version = (await reader.read(12)).toString('latin1');
  const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(version);
  if (!m) throw handshakeError(`the server is not a VNC server (it sent ${JSON.stringify(version)})`);
  const minor = Number(m[1]) > 3 ? 8 : Math.min(Number(m[2]), 8);
  const use = minor >= 8 ? 8 : minor >= 7 ? 7 : 3;
  upstream.write(Buffer.from(`RFB 003.00${use}\n`, 'latin1'));

  let type: number;
  if (use === 3) {
    type = (await reader.read(4)).readUInt32BE(0);
    if (type === 0) throw handshakeError(await readReason(reader));
  } else {
    const count = (await reader.read(1))[0];
    if (count === 0) throw handshakeError(await readReason(reader));
    const types = [...(await reader.read(count))];
    if (types.includes(SECURITY_NONE) && !password) type = SECURITY_NONE;
    else if (types.includes(SECURITY_VNC_AUTH)) type = SECURITY_VNC_AUTH;
    else if (types.includes(SECURITY_NONE)) type = SECURITY_NONE;
    else throw handshakeError(`the server offers no security type we can use (${types.join(', ')})`);
    upstream.write(Buffer.from([type]));
  }

  if (type === SECURITY_VNC_AUTH) {
    const challenge = await reader.read(16);
    upstream.write(vncAuthResponse(password, challenge));
  } else if (type !== SECURITY_NONE) {
    throw handshakeError(`the server chose security type ${type}`);
  }
  // SecurityResult: always after VNC authentication; after None only in 3.8
  if (type === SECURITY_VNC_AUTH || use === 8) {
    const result = (await reader.read(4)).readUInt32BE(0);
    if (result !== 0) {
      const reason = use === 8 ? await readReason(reader) : 'authentication failed';
      throw new PolyvisorError({ code: 'AUTH_FAILED', message: `The VNC server refused the console ticket: ${reason}`, serverCode: 'VNC_AUTH_FAILED', serverParams: [reason] });
    }
  }
  return reader.leftover();
}

async function readReason(reader: ExactReader): Promise<string> {
  const length = (await reader.read(4)).readUInt32BE(0);
  return (await reader.read(Math.min(length, 4096))).toString('utf8');
}

function handshakeError(reason: string): PolyvisorError {
  return new PolyvisorError({ code: 'SERVER_ERROR', message: `VNC handshake failed: ${reason}`, serverCode: 'VNC_HANDSHAKE', serverParams: [reason] });
}

/**
 * The renderer's side of an already authenticated RFB connection: greets with
 * RFB 3.8 and security type None, then relays ClientInit and everything after.
 */
export class RfbNoAuthFront extends Duplex {
  private phase: 'version' | 'security' | 'relay' = 'version';
  private pending = Buffer.alloc(0);

  constructor(
    private readonly upstream: Duplex,
    leftover: Buffer,
  ) {
    super();
    this.push(VERSION_38);
    // bytes the server sent after authenticating wait until the client has sent ClientInit anyway
    this.serverBacklog = leftover;
    upstream.on('data', (chunk: Buffer) => {
      if (this.phase !== 'relay') {
        this.serverBacklog = Buffer.concat([this.serverBacklog, chunk]);
        return;
      }
      if (!this.push(chunk)) upstream.pause();
    });
    upstream.on('end', () => this.push(null));
    upstream.on('close', () => this.destroy());
    upstream.on('error', (e) => this.destroy(e));
    upstream.pause();
  }

  private serverBacklog: Buffer;

  override _read(): void {
    if (this.phase === 'relay') this.upstream.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.phase === 'relay') {
      this.upstream.write(chunk, callback);
      return;
    }
    this.pending = Buffer.concat([this.pending, chunk]);
    if (this.phase === 'version' && this.pending.length >= 12) {
      this.pending = this.pending.subarray(12);
      this.phase = 'security';
      this.push(Buffer.from([1, SECURITY_NONE]));
    }
    if (this.phase === 'security' && this.pending.length >= 1) {
      const chosen = this.pending[0];
      this.pending = this.pending.subarray(1);
      if (chosen !== SECURITY_NONE) {
        callback(new Error(`the console client chose security type ${chosen}`));
        return;
      }
      const ok = Buffer.alloc(4);
      this.push(ok);
      this.phase = 'relay';
      if (this.serverBacklog.length) this.push(this.serverBacklog);
      this.serverBacklog = Buffer.alloc(0);
      this.upstream.resume();
      if (this.pending.length) {
        const rest = this.pending;
        this.pending = Buffer.alloc(0);
        this.upstream.write(rest, callback);
        return;
      }
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.upstream.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.upstream.destroy();
    callback(error);
  }
}
