// A VM's console on XenServer/XCP-ng (a host's: its control domain's vt100 shell): the VM's console record of the wanted protocol
// (rfb or vt100) names a URL on the host that runs the VM; a TLS connection there,
// `CONNECT <path>?<query>` with the session cookie, and after `200` the socket
// carries the raw console bytes (RFB or terminal text).

import type tls from 'node:tls';
import { PolyvisorError } from '../../../../shared/errors';
import { certificateErrorFor } from '../../tls/classify';
import { openTlsSocket, type TlsTrust } from '../../tls/trust';
import { withTimeout } from '../common/concurrency';
import type { ConsoleStream } from '../provider';
import { connectionFailure } from './errors';
import { map, refs, str } from './records';
import type { XapiSession } from './session';

export interface XapiConsoleContext {
  session: XapiSession;
  /** the user's trust at an address: the saved server's pin there, that address's own pin elsewhere */
  trustAt(host: string, port: number): TlsTrust;
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
  if (target.kind !== 'vm' && !(target.kind === 'host' && protocol === 'text')) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: `A XenServer ${target.kind} has no ${protocol === 'rfb' ? 'graphical ' : ''}console of its own.` });
  }
  // a host's console is its control domain's (dom0): the shell XenCenter's host Console tab shows
  const vmRef = target.kind === 'host' ? str(await session.call('host.get_control_domain', target.nativeRef)) : target.nativeRef;
  const vm = map(await session.call('VM.get_record', vmRef));
  const name = target.kind === 'host' ? `The control domain of ${str(map(await session.call('host.get_record', target.nativeRef)).name_label) || target.nativeRef}` : str(vm.name_label) || target.nativeRef;
  const power = str(vm.power_state);
  if (power !== 'Running' && power !== 'Paused') {
    throw new PolyvisorError({
      code: 'UNSUPPORTED',
      message: `${name} is ${power.toLowerCase() || 'not running'}: its console is there only while it runs.`,
      serverCode: power,
    });
  }
  const wanted = protocol === 'rfb' ? 'rfb' : 'vt100';
  const records = (await Promise.all(refs(vm.consoles).map((ref) => session.call('console.get_record', ref)))).map(consoleRecord);
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
  const trust = ctx.trustAt(host, port);

  let socket: tls.TLSSocket;
  try {
    socket = await openTlsSocket({ host, port, trust, timeoutMs });
  } catch (err) {
    throw (await certificateProblem(err, host, port, trust)) ?? connectionFailure(host, port, err);
  }
  try {
    socket.write(
      `CONNECT ${url.pathname}${url.search} HTTP/1.0\r\n` +
        `Host: ${url.host}\r\n` +
        `Cookie: session_id=${session.ref}\r\n` +
        '\r\n',
    );
    const { status, rest } = await withTimeout(readHead(socket), timeoutMs, () => {
      socket.destroy();
      return Object.assign(new Error('the console connection timed out'), { code: 'ETIMEDOUT' });
    });
    if (status !== 200) {
      socket.destroy();
      throw new PolyvisorError({
        code: status === 403 || status === 401 ? 'AUTH_FAILED' : 'SERVER_ERROR',
        message: `${consoleRefusal(status)} (HTTP ${status})`,
        serverCode: `HTTP_${status}`,
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
    throw connectionFailure(host, port, err);
  }
}

/** What a refused CONNECT means, in words (never the raw status line). */
function consoleRefusal(status: number): string {
  if (status === 401 || status === 403) return 'The host did not accept the session for this console.';
  if (status === 404) return 'The host does not know this console: the VM may have stopped or moved to another host.';
  if (status === 502 || status === 503) return "The host could not reach the VM's console.";
  return 'The host did not open the console.';
}

/** A failed handshake as CERT_UNTRUSTED/CERT_CHANGED when it was the certificate; a failed probe is the error itself. */
async function certificateProblem(err: unknown, host: string, port: number, trust: TlsTrust): Promise<PolyvisorError | null> {
  try {
    return await certificateErrorFor(err, host, port, trust);
  } catch (probeError) {
    return connectionFailure(host, port, probeError);
  }
}

function consoleRecord(value: unknown): ConsoleRecord {
  const record = map(value);
  return { protocol: str(record.protocol), location: str(record.location) };
}

/**
 * Reads the answer's status line and headers; what follows them is already console data.
 * Reads in paused mode ('readable'), so the socket starts flowing only when the consumer
 * attaches its own 'data' listener and nothing is lost in between.
 */
function readHead(socket: tls.TLSSocket): Promise<{ status: number; rest: Buffer }> {
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
      resolve({ status: Number(m[1]), rest: buf.subarray(end + 4) });
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
