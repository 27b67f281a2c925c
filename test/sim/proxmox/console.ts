// Consoles as pveproxy serves them: `POST …/{qemu|lxc}/{vmid}/vncproxy` and
// `…/termproxy` (and a node's own shell, `POST /nodes/{node}/termproxy`) start a proxy on a port with a one-time VNC ticket; a WebSocket
// upgrade of `GET …/vncwebsocket?port=…&vncticket=…` (with the user's ticket or API
// token) then reaches it. VNC proxies relay binary frames to a real VNC server;
// termproxy speaks PVE's packet protocol (`user:ticket\n` → `OK`, then `0:LEN:DATA`
// input, `1:COLS:ROWS:` resize, `2` ping) to a real shell on a pseudo-terminal.

import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { startPtyShell } from '../../peers/pty-shell';
import type { AuthService } from './auth';
import { SimHttpError } from './guest-ops';
import { P } from './params';
import type { Route, RouteContext } from './routes';
import type { ClusterState, GuestType } from './state';

export interface VncTarget {
  host: string;
  port: number;
  /** the VNC server's password (security type VncAuth); PVE 8 hands it out as `password` */
  password?: string;
}

export interface ProxmoxConsoleTargets {
  vnc?: VncTarget;
  /** program termproxy runs on its pty (default /bin/sh) */
  shell?: string;
}

interface PendingProxy {
  kind: 'vnc' | 'term';
  port: number;
  ticket: string;
  user: string;
  /** 0 and 'node' for a node's shell */
  vmid: number;
  type: GuestType | 'node';
  node?: string;
  expires: number;
}

/** How long a proxy waits for its WebSocket (vncproxy/termproxy give up after 10 s). */
const CONNECT_WINDOW_MS = 10_000;

export class ConsoleProxies {
  targets: ProxmoxConsoleTargets = {};
  certPem = '';
  private readonly pending = new Map<number, PendingProxy>();
  private nextPort = 5900;
  private readonly live = new Set<() => void>();
  /** upgrades answered, by outcome (for tests) */
  readonly outcomes: string[] = [];
  /** every spiceproxy answer handed out (for tests) */
  readonly spiceIssued: Array<Record<string, string | number>> = [];

  create(kind: 'vnc' | 'term', user: string, type: GuestType | 'node', vmid: number, node?: string): PendingProxy {
    const now = Date.now();
    for (const [port, p] of this.pending) if (p.expires < now) this.pending.delete(port);
    const port = this.nextPort++;
    if (this.nextPort > 5999) this.nextPort = 5900;
    const hexTime = Math.floor(now / 1000).toString(16).toUpperCase().padStart(8, '0');
    const proxy = { kind, port, ticket: `PVEVNC:${hexTime}::${randomBytes(32).toString('base64')}`, user, vmid, type, node, expires: now + CONNECT_WINDOW_MS };
    this.pending.set(port, proxy);
    return proxy;
  }

  /** the proxy for this port and ticket, once */
  take(port: number, ticket: string, type: GuestType | 'node', vmid: number, node?: string): PendingProxy | null {
    const p = this.pending.get(port);
    if (!p || p.ticket !== ticket || p.type !== type || p.vmid !== vmid || p.node !== node || p.expires < Date.now()) return null;
    this.pending.delete(port);
    return p;
  }

  get open(): number {
    return this.live.size;
  }

  track(close: () => void): () => void {
    this.live.add(close);
    return () => this.live.delete(close);
  }

  /** cut every console (like a VM reset dropping its VNC server) */
  dropAll(): void {
    for (const close of [...this.live]) close();
  }
}

const registries = new WeakMap<AuthService, ConsoleProxies>();

/** The console proxies of one simulator (keyed by its auth service). */
export function consoleProxies(auth: AuthService): ConsoleProxies {
  let r = registries.get(auth);
  if (!r) registries.set(auth, (r = new ConsoleProxies()));
  return r;
}

function caller(ctx: RouteContext): string {
  const id = ctx.identity;
  if (!id) return 'root@pam';
  return id.tokenid ? `${id.user}!${id.tokenid}` : id.user;
}

function runningGuest(ctx: RouteContext, type: GuestType) {
  const node = String(ctx.params.node);
  if (!ctx.state.node(node)) throw new SimHttpError(500, `hostname lookup '${node}' failed - failed to get address info for: ${node}: Name or service not known`);
  const g = ctx.state.guest(Number(ctx.params.vmid));
  if (!g || g.type !== type || g.node !== node) {
    throw new SimHttpError(500, `Configuration file 'nodes/${node}/${type === 'qemu' ? 'qemu-server' : 'lxc'}/${ctx.params.vmid}.conf' does not exist`);
  }
  if (g.status !== 'running') throw new SimHttpError(500, type === 'qemu' ? `VM ${g.vmid} not running` : `CT ${g.vmid} not running`);
  return g;
}

function proxyTask(ctx: RouteContext, node: string, kind: string, vmid: number): string {
  return ctx.tasks.start(node, kind, String(vmid), caller(ctx), { begin() {}, finish() {} }).upid;
}

function consoleRoutes(type: GuestType): Route[] {
  const base = `/nodes/{node}/${type}/{vmid}`;
  return [
    {
      method: 'POST',
      path: `${base}/vncproxy`,
      params:
        type === 'qemu'
          ? { 'generate-password': P.optBool, node: P.node, vmid: P.vmid, websocket: P.optBool }
          : {
              height: { type: 'integer', minimum: 16, maximum: 2160, optional: true },
              node: P.node,
              vmid: P.vmid,
              websocket: P.optBool,
              width: { type: 'integer', minimum: 16, maximum: 4096, optional: true },
            },
      handler(ctx) {
        const g = runningGuest(ctx, type);
        const proxies = consoleProxies(ctx.auth);
        const proxy = proxies.create('vnc', caller(ctx), type, g.vmid);
        const answer: Record<string, unknown> = {
          cert: proxies.certPem,
          port: proxy.port,
          ticket: proxy.ticket,
          upid: proxyTask(ctx, g.node, 'vncproxy', g.vmid),
          user: proxy.user,
        };
        if (proxies.targets.vnc?.password !== undefined) answer.password = proxies.targets.vnc.password;
        return answer;
      },
    },
    {
      method: 'POST',
      path: `${base}/termproxy`,
      params:
        type === 'qemu'
          ? { node: P.node, serial: { type: 'string', enum: ['serial0', 'serial1', 'serial2', 'serial3'], optional: true }, vmid: P.vmid }
          : { node: P.node, vmid: P.vmid },
      handler(ctx) {
        const g = runningGuest(ctx, type);
        const proxy = consoleProxies(ctx.auth).create('term', caller(ctx), type, g.vmid);
        return { port: proxy.port, ticket: proxy.ticket, upid: proxyTask(ctx, g.node, 'vncproxy', g.vmid), user: proxy.user };
      },
    },
  ];
}

/** A node's shell: PVE runs `login` (or the upgrade/ceph installer) on a pty behind termproxy; its task is a `vncshell`. */
const NODE_SHELL_ROUTE: Route = {
  method: 'POST',
  path: '/nodes/{node}/termproxy',
  params: {
    cmd: { type: 'string', enum: ['ceph_install', 'login', 'upgrade'], optional: true },
    'cmd-opts': { type: 'string', optional: true, requires: 'cmd' },
    node: P.node,
  },
  handler(ctx) {
    const node = String(ctx.params.node);
    if (!ctx.state.node(node)) throw new SimHttpError(500, `hostname lookup '${node}' failed - failed to get address info for: ${node}: Name or service not known`);
    const proxy = consoleProxies(ctx.auth).create('term', caller(ctx), 'node', 0, node);
    return { port: proxy.port, ticket: proxy.ticket, upid: ctx.tasks.start(node, 'vncshell', '', caller(ctx), { begin() {}, finish() {} }).upid, user: proxy.user };
  },
};

/**
 * SPICE for remote-viewer, as PVE's remote_viewer_config answers: an opaque `pvespiceproxy:` host
 * token, the node's spiceproxy on port 3128, a one-time 40-hex password, the cluster CA with its
 * line breaks written as `\n` (ready for a .vv file), the node certificate's subject.
 */
const SPICE_ROUTE: Route = {
  method: 'POST',
  path: '/nodes/{node}/qemu/{vmid}/spiceproxy',
  params: { node: P.node, proxy: { type: 'string', format: 'address', optional: true }, vmid: P.vmid },
  handler(ctx) {
    const g = runningGuest(ctx, 'qemu');
    const proxies = consoleProxies(ctx.auth);
    const hexTime = Math.floor(Date.now() / 1000).toString(16);
    const proxy = ctx.params.proxy === undefined ? '127.0.0.1' : String(ctx.params.proxy);
    const answer = {
      // the PEM file ends with a line break, which PVE escapes like the others
      ca: proxies.certPem.replace(/\n?$/, '\n').replace(/\n/g, '\\n'),
      'delete-this-file': 1,
      host: `pvespiceproxy:${hexTime}:${g.vmid}:${g.node}::${randomBytes(20).toString('hex')}`,
      'host-subject': `OU=PVE Cluster Node,O=Proxmox Virtual Environment,CN=${g.node}`,
      password: randomBytes(20).toString('hex'),
      proxy: /^http:\/\//.test(proxy) ? proxy : `http://${proxy.includes(':') ? `[${proxy}]` : proxy}:3128`,
      'release-cursor': 'Ctrl+Alt+R',
      'secure-attention': 'Ctrl+Alt+Ins',
      title: `VM ${g.vmid} - ${g.name}`,
      'tls-port': 61000,
      'toggle-fullscreen': 'Shift+F11',
      type: 'spice',
    };
    proxies.spiceIssued.push(answer);
    return answer;
  },
};

export const CONSOLE_ROUTES: Route[] = [...consoleRoutes('qemu'), ...consoleRoutes('lxc'), NODE_SHELL_ROUTE, SPICE_ROUTE];

const WEBSOCKET_PATH = /^\/api2\/json\/nodes\/([^/]+)\/(qemu|lxc)\/(\d+)\/vncwebsocket\/?$/;
const NODE_WEBSOCKET_PATH = /^\/api2\/json\/nodes\/([^/]+)\/vncwebsocket\/?$/;
const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  // noVNC and PVE's xterm client ask for 'binary'
  handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
});

/** The 'upgrade' handler pveproxy would be: authenticate, check the VNC ticket, relay. */
export function handleConsoleUpgrade(
  deps: { auth: AuthService; state: () => ClusterState },
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const proxies = consoleProxies(deps.auth);
  const refuse = (status: number, reason: string) => {
    proxies.outcomes.push(`${status} ${reason}`);
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };
  const url = new URL(req.url ?? '/', 'https://sim');
  const m = WEBSOCKET_PATH.exec(url.pathname);
  const nodeShell = NODE_WEBSOCKET_PATH.exec(url.pathname);
  if (!m && !nodeShell) return refuse(501, 'Not Implemented');
  const user = authenticatedUser(deps.auth, req);
  if (!user) return refuse(401, 'No ticket');
  if (nodeShell) {
    const node = decodeURIComponent(nodeShell[1]);
    if (!deps.state().node(node)) return refuse(500, `hostname lookup '${node}' failed`);
    const proxy = proxies.take(Number(url.searchParams.get('port')), url.searchParams.get('vncticket') ?? '', 'node', 0, node);
    if (!proxy) return refuse(401, 'permission denied - invalid vnc ticket');
    proxies.outcomes.push('101 node shell');
    wss.handleUpgrade(req, socket, head, (ws) => relayTerm(proxies, ws, proxy, proxies.targets.shell ?? '/bin/sh'));
    return;
  }
  if (!m) return refuse(501, 'Not Implemented');
  const [, node, type, vmidText] = m;
  const vmid = Number(vmidText);
  const guest = deps.state().guest(vmid);
  if (!guest || guest.node !== node || guest.type !== type) return refuse(500, `Configuration file does not exist`);
  const proxy = proxies.take(Number(url.searchParams.get('port')), url.searchParams.get('vncticket') ?? '', type as GuestType, vmid);
  if (!proxy) return refuse(401, 'permission denied - invalid vnc ticket');
  if (guest.status !== 'running') return refuse(500, `VM ${vmid} not running`);

  if (proxy.kind === 'vnc') {
    const target = proxies.targets.vnc;
    if (!target) return refuse(502, 'no VNC server behind the simulator');
    const upstream = net.connect(target.port, target.host);
    upstream.once('error', () => socket.destroy());
    upstream.once('connect', () => {
      proxies.outcomes.push('101 vnc');
      wss.handleUpgrade(req, socket, head, (ws) => relayVnc(proxies, ws, upstream));
    });
    return;
  }
  proxies.outcomes.push('101 term');
  wss.handleUpgrade(req, socket, head, (ws) => relayTerm(proxies, ws, proxy, proxies.targets.shell ?? '/bin/sh'));
}

function authenticatedUser(auth: AuthService, req: http.IncomingMessage): string | null {
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('PVEAPIToken=')) return auth.verifyApiToken(authorization)?.user ?? null;
  const cookie = /(?:^|;\s*)PVEAuthCookie=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  if (!cookie) return null;
  return auth.verifyTicket(decodeURIComponent(cookie));
}

function relayVnc(proxies: ConsoleProxies, ws: WebSocket, upstream: net.Socket): void {
  const untrack = proxies.track(() => {
    upstream.destroy();
    ws.terminate();
  });
  ws.on('message', (data: RawData) => upstream.write(toBuffer(data)));
  upstream.on('data', (chunk: Buffer) => ws.readyState === ws.OPEN && ws.send(chunk, { binary: true }));
  const finish = () => {
    untrack();
    upstream.destroy();
    if (ws.readyState === ws.OPEN) ws.close(1000);
  };
  upstream.once('close', finish);
  ws.once('close', finish);
}

function relayTerm(proxies: ConsoleProxies, ws: WebSocket, proxy: PendingProxy, shell: string): void {
  let buf = Buffer.alloc(0);
  let pty: ReturnType<typeof startPtyShell> | null = null;
  const untrack = proxies.track(() => ws.terminate());
  const finish = () => {
    untrack();
    pty?.close();
    if (ws.readyState === ws.OPEN) ws.close(1000);
  };
  ws.once('close', finish);
  ws.on('message', (data: RawData) => {
    buf = Buffer.concat([buf, toBuffer(data)]);
    if (!pty) {
      const nl = buf.indexOf(0x0a);
      if (nl < 0) return;
      const login = buf.subarray(0, nl).toString('utf8');
      buf = buf.subarray(nl + 1);
      if (login !== `${proxy.user}:${proxy.ticket}`) {
        ws.close(1008, 'permission denied - invalid ticket');
        return;
      }
      pty = startPtyShell(shell);
      pty.output.on('data', (chunk: Buffer) => ws.readyState === ws.OPEN && ws.send(chunk, { binary: true }));
      void pty.exited.then(finish);
      ws.send('OK');
    }
    parsePackets();
  });

  const parsePackets = () => {
    for (;;) {
      if (!buf.length || !pty) return;
      const type = buf[0];
      if (type === 0x32 /* '2' ping */) {
        buf = buf.subarray(1);
        continue;
      }
      if (buf.length < 2) return;
      if (buf[1] !== 0x3a) return ws.close(1008, 'protocol error');
      if (type === 0x30 /* '0' data */) {
        const colon = buf.indexOf(0x3a, 2);
        if (colon < 0) return;
        const length = Number(buf.subarray(2, colon).toString('latin1'));
        if (!Number.isInteger(length) || length < 0) return ws.close(1008, 'protocol error');
        if (buf.length < colon + 1 + length) return;
        pty.input.write(buf.subarray(colon + 1, colon + 1 + length));
        buf = buf.subarray(colon + 1 + length);
      } else if (type === 0x31 /* '1' resize */) {
        const m = /^1:(\d+):(\d+):/.exec(buf.toString('latin1', 0, Math.min(buf.length, 32)));
        if (!m) {
          if (buf.length > 32) ws.close(1008, 'protocol error');
          return;
        }
        pty.resize(Number(m[1]), Number(m[2]));
        buf = buf.subarray(m[0].length);
      } else return ws.close(1008, 'protocol error');
    }
  };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}
