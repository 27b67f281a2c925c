// A VM's console on XenServer/XCP-ng: the VM's console record of the wanted protocol
// (rfb or vt100) names a URL on the host that runs the VM; a TLS connection there,
// `CONNECT <path>?<query>` with the session cookie, and after `200` the socket
// carries the raw console bytes (RFB or terminal text).

import net from 'node:net';
import tls from 'node:tls';
import { PolyvisorError } from '../../../../shared/errors';
import { certificateErrorFor } from '../../tls/classify';
import { tlsOptions, type TlsTrust } from '../../tls/trust';
import type { ConsoleStream } from '../provider';
import { connectionFailure } from './errors';
import type { XapiSession } from './session';

export interface XapiConsoleContext {
  session: XapiSession | null;
  /** the saved server's trust: its pinned certificate or the CA store */
  trust: TlsTrust;
  /** how long connecting and the CONNECT answer may take */
  timeoutMs?: number;
}

interface ConsoleRecord {
  protocol: string;
  location: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** a CONNECT answer is a status line and a few headers */
const MAX_HEADER_BYTES = 16 * 1024;

export async function openXapiConsole(
  ctx: XapiConsoleContext,
  target: { nativeRef: string; kind: string },
  protocol: 'rfb' | 'text',
): Promise<ConsoleStream> {
  const session = ctx.session;
  if (!session) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'Not connected to the server; try again once it is back.' });
  if (target.kind !== 'vm') {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: `A XenServer ${target.kind} has no console of its own.` });
  }
  const vm = await session.call<Record<string, unknown>>('VM.get_record', target.nativeRef);
  const name = String(vm.name_label ?? target.nativeRef);
  const power = String(vm.power_state ?? '');
  if (power !== 'Running' && power !== 'Paused') {
    throw new PolyvisorError({
      code: 'UNSUPPORTED',
      message: `${name} is ${power.toLowerCase() || 'not running'}: its console is there only while it runs.`,
      serverCode: power,
    });
  }
  const wanted = protocol === 'rfb' ? 'rfb' : 'vt100';
  const refs = Array.isArray(vm.consoles) ? (vm.consoles as string[]) : [];
  const records = await Promise.all(refs.map((ref) => session.call<ConsoleRecord>('console.get_record', ref)));
  const record = records.find((c) => c.protocol === wanted && c.location);
  if (!record) {
    throw new PolyvisorError({
      code: 'UNSUPPORTED',
      message: `${name} has no ${protocol === 'rfb' ? 'graphical' : 'text'} console${records.length ? ` (it offers ${records.map((c) => c.protocol).join(', ')})` : ''}.`,
    });
  }
  const socket = await connectConsole(record.location, session, ctx);
  return {
    protocol,
    stream: socket,
    close: () => socket.destroy(),
  };
}

/** Opens the console location and completes the CONNECT; resolves with the raw socket. */
async function connectConsole(location: string, session: XapiSession, ctx: XapiConsoleContext): Promise<tls.TLSSocket> {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new PolyvisorError({ code: 'SERVER_ERROR', message: `The server gave an unusable console location.`, serverCode: 'BAD_CONSOLE_LOCATION', serverParams: [location] });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A location without a port means the host's HTTPS port; on the address we are logged in to,
  // that is the port the user saved (which may be a forwarded one).
  const port = url.port ? Number(url.port) : host === session.host ? session.port : 443;
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const socket = tls.connect({ ...tlsOptions(ctx.trust), host, port, servername: net.isIP(host) ? undefined : host });
  try {
    await withTimeout(onceSecure(socket), timeoutMs, socket);
    socket.write(
      `CONNECT ${url.pathname}${url.search} HTTP/1.0\r\n` +
        `Host: ${url.host}\r\n` +
        `Cookie: session_id=${session.ref}\r\n` +
        '\r\n',
    );
    const { status, statusLine, rest } = await withTimeout(readHead(socket), timeoutMs, socket);
    if (status !== 200) {
      socket.destroy();
      throw new PolyvisorError({
        code: status === 403 || status === 401 ? 'AUTH_FAILED' : 'SERVER_ERROR',
        message: `The host refused the console connection: ${statusLine}`,
        serverCode: `HTTP_${status}`,
        serverParams: [statusLine],
      });
    }
    if (rest.length) socket.unshift(rest);
    // errors end in 'close', which the console's consumer follows; never an uncaught 'error'
    socket.on('error', () => undefined);
    socket.setTimeout(0);
    socket.setNoDelay(true);
    return socket;
  } catch (err) {
    socket.destroy();
    if (err instanceof PolyvisorError) throw err;
    const certError = await certificateErrorFor(err, host, port, ctx.trust).catch(() => null);
    throw certError ?? connectionFailure(host, port, err);
  }
}

function onceSecure(socket: tls.TLSSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      resolve();
    });
    socket.once('error', reject);
  });
}

/**
 * Reads the answer's status line and headers; what follows them is already console data.
 * Reads in paused mode ('readable'), so the socket starts flowing only when the consumer
 * attaches its own 'data' listener and nothing is lost in between.
 */
function readHead(socket: tls.TLSSocket): Promise<{ status: number; statusLine: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const cleanup = () => {
      socket.off('readable', onReadable);
      socket.off('error', onError);
      socket.off('end', onEnd);
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) {
        buf = Buffer.concat([buf, chunk]);
        const end = buf.indexOf('\r\n\r\n');
        if (end >= 0) return done(end);
        if (buf.length > MAX_HEADER_BYTES) {
          cleanup();
          return reject(new PolyvisorError({ code: 'SERVER_ERROR', message: 'The host answered the console request with something that is not HTTP.', serverCode: 'BAD_CONSOLE_ANSWER' }));
        }
      }
    };
    const done = (end: number) => {
      cleanup();
      const statusLine = buf.subarray(0, buf.indexOf('\r\n')).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
      if (!m) {
        reject(new PolyvisorError({ code: 'SERVER_ERROR', message: `The host answered the console request with "${statusLine.slice(0, 80)}".`, serverCode: 'BAD_CONSOLE_ANSWER' }));
        return;
      }
      resolve({ status: Number(m[1]), statusLine, rest: buf.subarray(end + 4) });
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onEnd = () => {
      cleanup();
      reject(Object.assign(new Error('the host closed the console connection before answering'), { code: 'ECONNRESET' }));
    };
    socket.on('readable', onReadable);
    socket.once('error', onError);
    socket.once('end', onEnd);
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, socket: tls.TLSSocket): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error('the console connection timed out'), { code: 'ETIMEDOUT' }));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
