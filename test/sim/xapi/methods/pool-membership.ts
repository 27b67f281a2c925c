// pool.join and pool.eject between two simulators, with xapi's checks (Xapi_pool.pre_join_checks,
// Xapi_pool.eject) and codes (Api_errors; xenapi.json lists only JOINING_HOST_CANNOT_CONTAIN_SHARED_SRS):
//
// pool.join runs on the joining standalone host. It refuses when that host already has other
// hosts (JOINING_HOST_CANNOT_BE_MASTER_OF_OTHER_HOSTS), HA on (HA_IS_ENABLED), a running guest
// (JOINING_HOST_CANNOT_HAVE_RUNNING_VMS), a guest with an operation under way
// (JOINING_HOST_CANNOT_HAVE_VMS_WITH_CURRENT_OPERATIONS) or shared storage
// (JOINING_HOST_CANNOT_CONTAIN_SHARED_SRS); then it logs in to the master with the credentials it
// was given (SESSION_AUTHENTICATION_FAILED as the master answers; JOINING_HOST_CONNECTION_FAILED
// when it cannot be reached) and compares: HA on the pool, itself as the master (OPERATION_NOT_ALLOWED),
// the product version (POOL_JOINING_HOST_MUST_HAVE_SAME_PRODUCT_VERSION), the CPU vendor and features
// (HOSTS_NOT_HOMOGENEOUS ["CPUs differ"]). It then moves itself into the master's database and, as
// xapi restarts a moment after joining, drops every session: from then on a login answers
// HOST_IS_SLAVE with the master's address. Like the HOST_IS_SLAVE convention of this simulator
// (index.ts), the master is reached at the joining simulator's own port.
//
// pool.eject runs on the master: HA_IS_ENABLED; the master itself cannot leave (xapi raises its
// internal Cannot_eject_master, which reaches clients as INTERNAL_ERROR); a host that is down
// cannot be told (HOST_OFFLINE); a guest still resident there refuses it (OPERATION_NOT_ALLOWED
// ["VM resident on host"]). The member is told to leave (the simulators' own PUT
// /pool/eject_member: xapi forwards the call with the pool secret) and comes back standalone with
// new empty local storage; the master forgets it (pool-records.ts).
import type { SimCore } from '../core';
import { jsonRpcAt, putJsonAt } from '../cross-pool';
import type { XapiRecord } from '../database';
import { UNLISTED_ERRORS, XapiFailure } from '../failure';
import { exportMember, forgetMoved, guestsOf, importMember, type MemberRecords, removeMember, resetStandalone } from '../pool-records';
import type { HttpHandler } from '../server';
import { hostIsLive } from './placement';
import { SESSION } from './vm';

/** How long a host keeps answering after a join before its toolstack restarts (xapi lights a fuse of a few seconds). */
const RESTART_FUSE_MS = 2000;

/** A toolstack restart: every session and long poll ends. */
function restartToolstack(core: SimCore): void {
  for (const ref of [...core.db.records('session').keys()]) core.db.remove('session', ref);
  for (const abort of [...core.aborters]) abort();
}

function firstPool(core: SimCore): XapiRecord {
  return core.db.records('pool').values().next().value as XapiRecord;
}

function ownPort(core: SimCore): string {
  return core.opts.publicAddress().replace(/^.*:/, '');
}

function baseUrl(core: SimCore, address: string): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `${core.opts.tls === false ? 'http' : 'https'}://${host}:${ownPort(core)}`;
}

function assertCanLeaveHome(core: SimCore): void {
  const db = core.db;
  if (db.records('host').size > 1) throw new XapiFailure('JOINING_HOST_CANNOT_BE_MASTER_OF_OTHER_HOSTS');
  if (firstPool(core).ha_enabled) throw new XapiFailure('HA_IS_ENABLED');
  const guests = guestsOf(core).map((ref) => db.get('VM', ref)!);
  if (guests.some((vm) => vm.power_state === 'Running')) throw new XapiFailure('JOINING_HOST_CANNOT_HAVE_RUNNING_VMS');
  if (guests.some((vm) => Object.keys(vm.current_operations as object).length)) throw new XapiFailure('JOINING_HOST_CANNOT_HAVE_VMS_WITH_CURRENT_OPERATIONS');
  if ([...db.records('SR').values()].some((sr) => sr.shared)) throw new XapiFailure('JOINING_HOST_CANNOT_CONTAIN_SHARED_SRS');
}

function cpuOf(host: XapiRecord): string {
  const info = (host.cpu_info ?? {}) as Record<string, string>;
  return `${info.vendor ?? ''}|${info.features ?? ''}`;
}

async function assertFitsPool(core: SimCore, call: (method: string, ...args: unknown[]) => Promise<unknown>): Promise<void> {
  const pools = (await call('pool.get_all_records')) as Record<string, XapiRecord>;
  const pool = Object.values(pools)[0]!;
  if (pool.ha_enabled) throw new XapiFailure('HA_IS_ENABLED');
  const master = (await call('host.get_record', pool.master)) as XapiRecord;
  const me = core.db.get('host', core.masterHost())!;
  if (master.uuid === me.uuid) throw new XapiFailure('OPERATION_NOT_ALLOWED', 'Host cannot become slave of itself');
  const version = (h: XapiRecord) => (h.software_version as Record<string, string>).product_version;
  if (version(master) !== version(me)) throw new XapiFailure('POOL_JOINING_HOST_MUST_HAVE_SAME_PRODUCT_VERSION');
  if (cpuOf(master) !== cpuOf(me)) throw new XapiFailure('HOSTS_NOT_HOMOGENEOUS', 'CPUs differ');
}

async function join(core: SimCore, address: string, user: string, password: string): Promise<void> {
  assertCanLeaveHome(core);
  const base = baseUrl(core, address);
  const reach = (method: string, params: unknown[]) =>
    jsonRpcAt(base, address, method, params).catch((e: unknown) => {
      if (e instanceof XapiFailure && e.description[0] === 'CANNOT_CONTACT_HOST') throw new XapiFailure('JOINING_HOST_CONNECTION_FAILED');
      throw e;
    });
  const session = (await reach('session.login_with_password', [user, password, '', 'pool.join'])) as string;
  try {
    await assertFitsPool(core, (method, ...args) => reach(method, [session, ...args]));
    const records = exportMember(core, core.masterHost());
    await putJsonAt(base, address, `/pool/join_host?session_id=${encodeURIComponent(session)}`, records);
  } finally {
    await reach('session.logout', [session]).catch(() => undefined);
  }
  forgetMoved(core);
  core.opts.slaveOf = { host: address };
  setTimeout(() => restartToolstack(core), RESTART_FUSE_MS).unref();
}

async function eject(core: SimCore, host: string): Promise<void> {
  const db = core.db;
  if (firstPool(core).ha_enabled) throw new XapiFailure('HA_IS_ENABLED');
  if (host === core.masterHost()) throw new XapiFailure('INTERNAL_ERROR', 'Xapi_pool.Cannot_eject_master');
  if (!hostIsLive(core, host)) throw new XapiFailure('HOST_OFFLINE', host);
  const resident = (db.get('host', host)!.resident_VMs as string[]).some((vm) => {
    const record = db.get('VM', vm);
    return record && !record.is_control_domain && record.power_state !== 'Halted';
  });
  if (resident) throw new XapiFailure('OPERATION_NOT_ALLOWED', 'VM resident on host');
  const address = db.get('host', host)!.address as string;
  await putJsonAt(baseUrl(core, address), host, '/pool/eject_member', { master: core.opts.publicAddress().replace(/:\d+$/, '') });
  removeMember(core, host);
}

export function registerPoolMembershipMethods(core: SimCore): void {
  core.register({
    name: 'pool.join',
    params: [SESSION, ['string', 'master_address'], ['string', 'master_username'], ['string', 'master_password']],
    errors: ['JOINING_HOST_CANNOT_CONTAIN_SHARED_SRS', ...UNLISTED_ERRORS['pool.join']!],
    async: true,
    precheck: ({ core: c }) => assertCanLeaveHome(c),
    run: ({ core: c }, [, address, user, password]) => join(c, address as string, user as string, password as string),
  });
  core.register({
    name: 'pool.eject',
    params: [SESSION, ['host ref', 'host']],
    errors: UNLISTED_ERRORS['pool.eject']!,
    async: true,
    run: ({ core: c }, [, host]) => eject(c, host as string),
  });
}

/** The simulators' own HTTP handlers for joining and ejecting ('METHOD /path' → handler). */
export function poolMembershipHandlers(core: SimCore): Record<string, HttpHandler> {
  return {
    // the master takes in a joining host (xapi: internal calls made with the joining host's session on the master)
    'PUT /pool/join_host': (query, body) => {
      const session = query.get('session_id') ?? '';
      if (!core.db.get('session', session)) throw new XapiFailure('SESSION_INVALID', session);
      if (core.opts.slaveOf) throw new XapiFailure('HOST_IS_SLAVE', core.opts.slaveOf.host);
      return { host: importMember(core, JSON.parse(body) as MemberRecords) };
    },
    // a member told by its master to leave: it comes back standalone
    'PUT /pool/eject_member': (_query, body) => {
      const { master } = JSON.parse(body) as { master?: string };
      if (!core.opts.slaveOf || core.opts.slaveOf.host !== master) throw new XapiFailure('OPERATION_NOT_ALLOWED', 'not a member of that pool');
      resetStandalone(core, core.masterHost());
      core.opts.slaveOf = undefined;
      restartToolstack(core);
      return {};
    },
  };
}
