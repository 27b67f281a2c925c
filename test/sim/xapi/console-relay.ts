// The simulator's console endpoint, as xapi serves it: `CONNECT /console?uuid=…`
// (or `?ref=…`) on the HTTPS port, authenticated by `Cookie: session_id=<ref>` or a
// `session_id` query parameter (XenCenter appends one). After `HTTP/1.1 200 OK` the
// socket carries raw bytes to a real server behind the simulator: a VNC server for
// `rfb` consoles, any TCP service for `vt100` ones — or a stream opened per console
// (e.g. a shell on a pty, with no port for anyone else to reach).

import type http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { XapiSimulator, XapiSimulatorHooks } from './index';

export type ConsoleTarget = { host: string; port: number } | { /** a new stream for each console connection */ open(): Duplex };

export interface ConsoleRelayOptions {
  /** where `rfb` consoles lead (e.g. a TigerVNC Xvnc) */
  rfb?: ConsoleTarget;
  /** where `vt100` consoles lead */
  vt100?: ConsoleTarget;
}

export interface ConsoleRelay {
  /** point consoles somewhere else from now on (e.g. a VNC server restarted after a "reboot") */
  setTarget(protocol: 'rfb' | 'vt100', target: ConsoleTarget | undefined): void;
  /** relays currently open */
  readonly open: number;
  /** every CONNECT seen: path and the status answered (for tests) */
  readonly requests: Array<{ path: string; status: number; cookie: boolean }>;
  /** cut every open relay (like the VNC server of a rebooting VM going away) */
  dropAll(): void;
}

const STATUS_LINES: Record<number, string> = {
  200: 'HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nCache-Control: no-cache, no-store\r\n\r\n',
  400: 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n',
  403: 'HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n',
  404: 'HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n',
  502: 'HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n',
};

export function installConsoleRelay(sim: XapiSimulator & XapiSimulatorHooks, options: ConsoleRelayOptions = {}): ConsoleRelay {
  const targets: Partial<Record<'rfb' | 'vt100', ConsoleTarget>> = { rfb: options.rfb, vt100: options.vt100 };
  const live = new Set<{ client: Duplex; upstream: Duplex }>();
  const requests: ConsoleRelay['requests'] = [];

  const answer = (socket: Duplex, status: number, path: string, cookie: boolean) => {
    requests.push({ path, status, cookie });
    if (status === 200) socket.write(STATUS_LINES[200]);
    else socket.end(STATUS_LINES[status]);
  };

  sim.setConnectHandler((req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://sim');
    const cookieSession = /(?:^|;\s*)session_id=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const session = cookieSession ?? url.searchParams.get('session_id') ?? undefined;
    const path = url.pathname;
    if (path !== '/console') return answer(socket, 404, path, !!cookieSession);
    if (!session || !sim.db.get('session', decodeURIComponent(session))) return answer(socket, 403, path, !!cookieSession);

    const uuid = url.searchParams.get('uuid');
    const ref = url.searchParams.get('ref');
    let consoleRec: Record<string, unknown> | undefined;
    if (ref) consoleRec = sim.db.get('console', ref);
    else if (uuid) consoleRec = [...sim.db.records('console').values()].find((c) => c.uuid === uuid);
    else return answer(socket, 400, path, !!cookieSession);
    if (!consoleRec) return answer(socket, 404, path, !!cookieSession);
    const vm = sim.db.get('VM', consoleRec.VM as string);
    if (!vm || (vm.power_state !== 'Running' && vm.power_state !== 'Paused')) return answer(socket, 404, path, !!cookieSession);

    const target = targets[consoleRec.protocol as 'rfb' | 'vt100'];
    if (!target) return answer(socket, 502, path, !!cookieSession);
    if ('open' in target) return relayStream(target.open(), socket, head, () => answer(socket, 200, path, !!cookieSession));
    const upstream = net.connect(target.port, target.host);
    const entry = { client: socket, upstream };
    const finish = () => {
      live.delete(entry);
      upstream.destroy();
      socket.destroy();
    };
    upstream.once('connect', () => {
      answer(socket, 200, path, !!cookieSession);
      live.add(entry);
      if (head.length) upstream.write(head);
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
    upstream.once('error', () => {
      if (!live.has(entry)) answer(socket, 502, path, !!cookieSession);
      finish();
    });
    upstream.once('close', finish);
    socket.once('close', finish);
    socket.once('error', finish);
  });

  /** a stream target is there at once: answer, then pipe both ways until either side ends */
  function relayStream(upstream: Duplex, socket: Duplex, head: Buffer, accept: () => void): void {
    const entry = { client: socket, upstream };
    const finish = () => {
      live.delete(entry);
      upstream.destroy();
      socket.destroy();
    };
    accept();
    live.add(entry);
    if (head.length) upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
    upstream.once('error', finish);
    upstream.once('close', finish);
    socket.once('close', finish);
    socket.once('error', finish);
  }

  return {
    setTarget(protocol, target) {
      targets[protocol] = target;
    },
    get open() {
      return live.size;
    },
    requests,
    dropAll() {
      for (const { client, upstream } of [...live]) {
        upstream.destroy();
        client.destroy();
      }
      live.clear();
    },
  };
}
