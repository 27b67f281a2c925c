// A faithful XAPI (XenServer/XCP-ng) simulator for tests and benchmarks.
//
// Pools for HOST_IS_SLAVE tests: all of 127.0.0.0/8 is loopback on Linux, so a
// master can listen on 127.0.0.1:P and a member on 127.0.0.2:P (same port,
// `slaveOf: { host: '127.0.0.1' }`). Like real XAPI, HOST_IS_SLAVE carries only
// the master's address; a client reconnects to that address keeping its port.
import { loadModel } from './model';
import { XapiDatabase } from './database';
import { loadDumpInto } from './loader';
import { generatePool, type GenerateSpec } from './generate';
import { SimCore } from './core';
import { registerAllMethods } from './methods/index';
import { consoleLocation } from './methods/vm';
import { abortAllTasks } from './tasks';
import { makeSelfSignedCert, type ServerCert } from './cert';
import { XapiHttpServer, type ConnectHandler } from './server';
import { readFileSync } from 'node:fs';
import { VmssScheduler } from './vmss/scheduler';
import { importMetadataHandler } from './cross-pool';
import { createConsoles, refreshVm } from './methods/vm';
import { refreshHostMemory } from './methods/placement';
import { poolMembershipHandlers } from './methods/pool-membership';
import { registerRrdHandlers, type RrdRequest } from './rrd/handlers';
import { registerHostCertificateMethod } from './rrd/host-certificates';
import { poolMaster, startMemberHosts, type MemberHosts } from './rrd/member-hosts';
import { seedRoles } from './rbac';
import type { SimDirectory } from './directory';

export { XapiDatabase } from './database';
export type { XapiRecord, XapiEvent } from './database';

export interface XapiSimOptions {
  /** path to an xapi state.db XML dump (e.g. ../shared/fixtures/xapi-db/state4.xml beside the repository) */
  db?: string;
  /** synthetic pool (GenerateSpec: local SRs, VMs with a local disk or CD, host memory, power-on) */
  generate?: GenerateSpec;
  /** listen address, default '127.0.0.1' */
  host?: string;
  /** 0 = random free port (default 0) */
  port?: number;
  /** default true: HTTPS with a self-signed certificate */
  tls?: boolean;
  /** default 'root' / 'password' */
  user?: string;
  password?: string;
  /** how long Async tasks take to complete, default 300 ms, progress advancing in steps */
  taskDurationMs?: number;
  /** this instance is a pool member: every login answers HOST_IS_SLAVE [master address] */
  slaveOf?: { host: string };
  /** override the pool name_label */
  poolName?: string;
  /** default true; false = an old host without JSON-RPC (clients fall back to XML-RPC) */
  jsonRpc?: boolean;
  /** IANA zone of the pool master's clock (default 'UTC'): snapshot schedules run in it, host.get_server_localtime answers in it */
  timeZone?: string;
  /** an Active Directory the pool can join (pool.enable_external_auth, auth_type AD): its users log in as DOMAIN\\user */
  directory?: SimDirectory;
  /** each member host answers for its own performance data at an address of its own (127.0.0.2, … at the same port; rrd/member-hosts.ts) */
  memberHosts?: boolean;
}

export interface XapiSimulator {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** SHA-256 of the served certificate, upper-case hex with colons ('' without TLS) */
  readonly fingerprint256: string;
  readonly certPem: string;
  /** event.from calls waiting for changes right now (a client's long poll has arrived) */
  readonly waitingPolls: number;
  /** with memberHosts: each member's address and certificate, and the foreign-certificate fault */
  readonly memberHosts?: MemberHosts;
  /** every performance data request (rrd_updates, host_rrd, vm_rrd) any host received, oldest first */
  readonly rrdRequests: readonly RrdRequest[];
  /** the live object store: records(cls), get, add, update, set, remove (changes emit events) */
  readonly db: XapiDatabase;
  /**
   * The simulator's clock. `advance(ms)` moves it forward and runs, in order and each at
   * its own time, every snapshot schedule (VMSS) that came due meanwhile.
   */
  readonly clock: { now(): Date; advance(ms: number): void };
  readonly faults: {
    delay(ms: number, method?: string): void;
    failNext(method: string, errorDescription: string[], times?: number): void;
    /**
     * Runs `change` once, right after the next answer to `method` is written: a change
     * another client makes while this one is still reading what the server sent.
     */
    afterAnswer(method: string, change: () => void): void;
    dropConnections(): void;
    clear(): void;
  };
  restart(): Promise<void>;
  /** the host becomes unreachable (its port closed, every connection dropped), its state kept … */
  down(): Promise<void>;
  /** … and reachable again on the same port, sessions as they were (a network outage, not a restart) */
  up(): Promise<void>;
  rotateCertificate(): Promise<void>;
  stop(): Promise<void>;
}

/** Extra hooks beyond the public simulator API (used by the console relay of a later issue). */
export interface XapiSimulatorHooks {
  /** handles HTTP CONNECT requests (e.g. `CONNECT /console?uuid=…` with `Cookie: session_id=…`) */
  setConnectHandler(handler: ConnectHandler): void;
}
export type { ConnectHandler };

const certCache = new Map<string, Promise<ServerCert>>();
function cachedCert(host: string): Promise<ServerCert> {
  let c = certCache.get(host);
  if (!c) certCache.set(host, (c = makeSelfSignedCert(host)));
  return c;
}

export async function startXapiSimulator(opts: XapiSimOptions = {}): Promise<XapiSimulator & XapiSimulatorHooks> {
  const host = opts.host ?? '127.0.0.1';
  const tls = opts.tls ?? true;
  const model = loadModel();
  const db = new XapiDatabase(model);
  if (opts.db) loadDumpInto(db, readFileSync(opts.db, 'utf8'));
  else generatePool(db, opts.generate ?? { hosts: 1, vms: 4, snapshots: 2 });
  if (opts.poolName !== undefined) {
    for (const ref of db.records('pool').keys()) db.update('pool', ref, { name_label: opts.poolName });
  }

  let port = opts.port ?? 0;
  const core = new SimCore(db, model, {
    user: opts.user ?? 'root',
    password: opts.password ?? 'password',
    taskDurationMs: opts.taskDurationMs ?? 300,
    slaveOf: opts.slaveOf,
    publicAddress: () => `${host.includes(':') ? `[${host}]` : host}:${port}`,
    tls,
    timeZone: opts.timeZone ?? 'UTC',
    directory: opts.directory,
  });
  registerAllMethods(core);
  seedRoles(core);
  const scheduler = new VmssScheduler(core);
  scheduler.start();

  let cert: ServerCert | undefined = tls ? await cachedCert(host) : undefined;
  const server = new XapiHttpServer(core, { tls: cert && { key: cert.key, cert: cert.cert }, jsonRpc: opts.jsonRpc ?? true });
  server.handlers.set(
    'PUT /import_metadata',
    importMetadataHandler(core, (vm) => {
      const record = db.get('VM', vm)!;
      if (record.power_state === 'Running' || record.power_state === 'Paused') {
        createConsoles(core, vm, record);
        refreshHostMemory(core, record.resident_on as string);
      }
      refreshVm(core, vm);
    }),
  );
  for (const [key, handler] of Object.entries(poolMembershipHandlers(core))) server.handlers.set(key, handler);
  const rrdRequests: RrdRequest[] = [];
  const logRrd = (request: RrdRequest) => {
    // a long-running simulator keeps the latest requests only
    if (rrdRequests.push(request) > 20_000) rrdRequests.splice(0, 10_000);
  };
  registerRrdHandlers(server, core, () => port, opts.memberHosts ? () => poolMaster(core) : undefined, logRrd);
  port = await server.listen(host, port);
  const members: MemberHosts | undefined = opts.memberHosts ? await startMemberHosts(core, { masterAddress: host, port, tls, log: logRrd }) : undefined;
  registerHostCertificateMethod(core, (ref) => members?.certificates.get(ref) ?? cert?.cert ?? '');
  // consoles loaded from a dump point at the real host; point them at us
  for (const [ref, c] of db.records('console')) {
    db.update('console', ref, { location: consoleLocation(core, c.uuid as string) });
  }

  const invalidateSessions = () => {
    for (const ref of [...db.records('session').keys()]) db.remove('session', ref);
    for (const abort of [...core.aborters]) abort();
  };

  const sim: XapiSimulator & XapiSimulatorHooks = {
    get url() {
      return `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    },
    host,
    get port() {
      return port;
    },
    get fingerprint256() {
      return cert?.fingerprint256 ?? '';
    },
    get certPem() {
      return cert?.cert ?? '';
    },
    get waitingPolls() {
      return core.aborters.size;
    },
    memberHosts: members,
    rrdRequests,
    db,
    clock: {
      now: () => core.clock.now(),
      advance: (ms) => core.clock.advance(ms),
    },
    faults: {
      delay(ms, method) {
        core.faults.delays.set(method ?? '', ms);
      },
      failNext(method, errorDescription, times = 1) {
        core.faults.failures.set(method, { description: errorDescription, remaining: times });
      },
      afterAnswer(method, change) {
        core.faults.afterAnswer.set(method, change);
      },
      dropConnections() {
        server.dropConnections();
      },
      clear() {
        core.faults.delays.clear();
        core.faults.failures.clear();
        core.faults.afterAnswer.clear();
      },
    },
    async restart() {
      await server.close();
      abortAllTasks(core);
      for (const ref of [...db.records('task').keys()]) db.remove('task', ref);
      invalidateSessions();
      // a real toolstack restart takes a while: let clients see their connections close
      await new Promise((r) => setTimeout(r, 50));
      await server.listen(host, port);
    },
    async down() {
      await server.close();
    },
    async up() {
      await server.listen(host, port);
    },
    async rotateCertificate() {
      if (!tls) throw new Error('the simulator runs without TLS');
      cert = await makeSelfSignedCert(host);
      server.setCertificate(cert.key, cert.cert);
    },
    async stop() {
      scheduler.dispose();
      abortAllTasks(core);
      for (const abort of [...core.aborters]) abort();
      await members?.close();
      await server.close();
    },
    setConnectHandler(h) {
      server.connectHandler = h;
    },
  };
  return sim;
}
