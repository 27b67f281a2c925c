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
  /** every CONNECT seen: path and the status answered, the console's VM and the host it ran on then (for tests) */
  readonly requests: Array<{ path: string; status: number; cookie: boolean; vm?: string; host?: string }>;
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
  // vm/domid: the domain whose VNC server or console the relay reaches
  const live = new Set<{ client: Duplex; upstream: Duplex; vm?: string; domid?: unknown }>();
  const requests: ConsoleRelay['requests'] = [];

  const answer = (socket: Duplex, status: number, path: string, cookie: boolean, about: { vm?: string; host?: string } = {}) => {
    requests.push({ path, status, cookie, ...about });
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
    const vmRef = consoleRec.VM as string;
    const vm = sim.db.get('VM', vmRef);
    if (!vm || (vm.power_state !== 'Running' && vm.power_state !== 'Paused')) return answer(socket, 404, path, !!cookieSession);
    const domain = { vm: vmRef, domid: vm.domid };

    const target = targets[consoleRec.protocol as 'rfb' | 'vt100'];
    if (!target) return answer(socket, 502, path, !!cookieSession);
    const reply = (status: number) => answer(socket, status, path, !!cookieSession, { vm: vmRef, host: vm.resident_on as string });
    if ('open' in target) return relayStream(target.open(), socket, head, () => reply(200), domain);
    const upstream = net.connect(target.port, target.host);
    const entry = { client: socket, upstream, ...domain };
    const finish = () => {
      live.delete(entry);
      upstream.destroy();
      socket.destroy();
    };
    upstream.once('connect', () => {
      reply(200);
      live.add(entry);
      if (head.length) upstream.write(head);
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
    upstream.once('error', () => {
      if (!live.has(entry)) reply(502);
      finish();
    });
    upstream.once('close', finish);
    socket.once('close', finish);
    socket.once('error', finish);
  });

  /** a stream target is there at once: answer, then pipe both ways until either side ends */
  function relayStream(upstream: Duplex, socket: Duplex, head: Buffer, accept: () => void, domain: { vm: string; domid: unknown }): void {
    const entry = { client: socket, upstream, ...domain };
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

  // a console belongs to a domain: when the VM migrates or restarts (a new domid) or stops, its VNC server
  // or console on the old domain is gone and the connection ends, as on a real host
  sim.db.on('change', () => {
    for (const entry of [...live]) {
      if (!entry.vm) continue;
      const vm = sim.db.get('VM', entry.vm);
      if (vm && vm.domid === entry.domid && (vm.power_state === 'Running' || vm.power_state === 'Paused')) continue;
      live.delete(entry);
      entry.upstream.destroy();
      entry.client.destroy();
    }
  });

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
