// A stateful Proxmox VE API simulator over HTTPS (self-signed) or HTTP.
// It fakes the server only: clients under test talk to it over real sockets.

import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generate } from 'selfsigned';
import { AuthService } from './auth';
import { seedDefaultCluster, generateCluster, type GenerateSpec } from './seed';
import { seedMigrationCluster } from './seed-migration';
import { createHandler } from './server';
import type { ClusterState } from './state';
import { TaskManager } from './tasks';
import { consoleProxies, handleConsoleUpgrade, type ConsoleProxies } from './console';
import { AccessState, type AccessSeed } from './access-state';

export { ClusterState } from './state';
export type { SimGuest, SimNode, SimSnapshot, GuestType } from './state';
export { addSnapshot } from './seed';
export { ROUTES, type Route } from './routes';

export interface ProxmoxSimulatorOptions {
  /** 0 (default) picks a random free port */
  port?: number;
  host?: string;
  /** default true: HTTPS with a fresh self-signed certificate */
  tls?: boolean;
  user?: string;
  password?: string;
  generate?: GenerateSpec;
  /** 'migration': three nodes with shared and local storage and guests that can and cannot move (seed-migration.ts) */
  seed?: 'default' | 'migration';
  /** users (pve realm, with passwords), groups and ACL entries besides root@pam (access-state.ts) */
  access?: AccessSeed;
  /** how long each worker task runs (default 300 ms) */
  taskDurationMs?: number;
  /** ticket and CSRF token lifetime (default 2 h, as PVE) */
  ticketLifetimeMs?: number;
  /** the certificate's validity (default: from now for a year); e.g. an expired one, as PVE's own after two years */
  certValidity?: { notBefore: Date; notAfter: Date };
}

export interface ProxmoxSimulator {
  url: string;
  host: string;
  port: number;
  /** SHA-256 of the certificate, upper-case hex with colons ('' without TLS) */
  fingerprint256: string;
  certPem: string;
  /** the live cluster: tests inspect and mutate it */
  state: ClusterState;
  /** vncproxy/termproxy: where consoles lead (`targets`), open relays, `dropAll()` */
  consoles: ConsoleProxies;
  tasks: TaskManager;
  addApiToken(user: string, tokenId: string, secret: string): void;
  /** logins (password / ticket renewal / failed) and 401 refusals by reason */
  stats(): { passwordLogins: number; ticketRenewals: number; failedLogins: number; refusals: Record<string, number> };
  /** how many requests reached "METHOD /path" (below /api2/json, e.g. "GET /cluster/resources") */
  requestCount(methodAndPath: string): number;
  /** calls `listener` after each successful answer ("GET /cluster/resources"), e.g. to change the state right then; returns the unsubscribe */
  onAnswer(listener: (methodAndPath: string) => void): () => void;
  /** drops every connection and listens again on the same port after downtimeMs (a pveproxy restart) */
  restart(downtimeMs?: number): Promise<void>;
  /** the node becomes unreachable (its port closed, every connection dropped), its state kept … */
  down(): Promise<void>;
  /** … and reachable again on the same port */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startProxmoxSimulator(opts: ProxmoxSimulatorOptions = {}): Promise<ProxmoxSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const useTls = opts.tls ?? true;
  const state = opts.generate ? generateCluster(opts.generate) : opts.seed === 'migration' ? seedMigrationCluster() : seedDefaultCluster();
  const auth = new AuthService(opts.user ?? 'root@pam', opts.password ?? 'password', opts.ticketLifetimeMs ?? 2 * 3600_000);
  state.access = new AccessState(opts.user ?? 'root@pam', opts.access);
  auth.directory = { checkPassword: (u, p) => sim.state.access.checkPassword(u, p), has: (u) => sim.state.access.users.has(u) };
  const tasks = new TaskManager(opts.taskDurationMs ?? 300);
  const refusals = new Map<string, number>();
  const requests = new Map<string, number>();
  const answered = new Set<(methodAndPath: string) => void>();
  const handler = createHandler({ state: () => sim.state, tasks, auth, refusals, requests, answered });

  let certPem = '';
  let keyPem = '';
  let fingerprint256 = '';
  if (useTls) {
    const pems = await generate([{ name: 'commonName', value: 'pve-sim.local' }, { name: 'organizationName', value: 'PVE Cluster Node' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: opts.certValidity?.notBefore ?? new Date(),
      notAfterDate: opts.certValidity?.notAfter ?? new Date(Date.now() + 365 * 86400_000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
      ],
    });
    certPem = pems.cert;
    keyPem = pems.private;
    fingerprint256 = new X509Certificate(certPem).fingerprint256;
  }

  const sockets = new Set<Socket>();
  const makeServer = () => {
    const server = useTls ? https.createServer({ key: keyPem, cert: certPem }, handler) : http.createServer(handler);
    server.keepAliveTimeout = 5_000;
    server.on('upgrade', (req, socket, head) => handleConsoleUpgrade({ auth, state: () => sim.state }, req, socket, head));
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    return server;
  };
  const listen = (server: http.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });
  const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      server.close(() => resolve());
    });

  consoleProxies(auth).certPem = certPem;
  let server = makeServer();
  const port = await listen(server, opts.port ?? 0);

  const sim: ProxmoxSimulator = {
    url: `${useTls ? 'https' : 'http'}://${host}:${port}`,
    host,
    port,
    fingerprint256,
    certPem,
    state,
    tasks,
    consoles: consoleProxies(auth),
    addApiToken: (user, tokenId, secret) => auth.addApiToken(user, tokenId, secret),
    stats: () => ({ ...auth.stats, refusals: Object.fromEntries(refusals) }),
    requestCount: (methodAndPath) => requests.get(methodAndPath) ?? 0,
    onAnswer(listener) {
      answered.add(listener);
      return () => answered.delete(listener);
    },
    async restart(downtimeMs = 0) {
      await sim.down();
      if (downtimeMs > 0) await new Promise((r) => setTimeout(r, downtimeMs));
      await sim.up();
    },
    async down() {
      await close(server);
    },
    async up() {
      server = makeServer();
      await listen(server, port);
    },
    async stop() {
      tasks.clear();
      await close(server);
    },
  };
  return sim;
}
