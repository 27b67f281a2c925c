// Add Server to Pool and Remove Server from Pool, as XenCenter does them. Before a join,
// the reasons why not are read from both servers the way XenCenter's PoolJoinRules reads
// them, each under xapi's own code (the one pool.join itself would answer): the joining
// host is the master of other hosts, runs guests, has shared storage; the pool has HA on,
// is the host itself, runs another product version or other CPUs. The join is
// Async.pool.join on the joining host with the pool's address and the credentials Polyvisor
// holds for it; the host restarts as a member and its connection follows HOST_IS_SLAVE to the
// master. Ejecting is Async.pool.eject of the member on the master: the member reboots on its
// own, its VMs and local storage gone.

import { PolyvisorError, toErrorInfo, type ErrorInfo } from '../../../../shared/errors';
import type { ActionResult, Provider, ProviderPools, TaskReporter } from '../provider';
import type { ActionContext } from './actions';
import { xapiFailure } from './errors';
import { bool, isRef, map, str, type XapiRecord } from './records';
import { followTask } from './tasks';

/** What a pool tells a host that wants to join it (read by the joining side). */
export interface PoolFacts {
  /** the address a joining host reaches the master at (the address this connection talks to) */
  masterAddress: string;
  username: string;
  password: string;
  haEnabled: boolean;
  master: XapiRecord;
}

/** A XenServer provider whose pool other hosts can join. */
export interface XapiPoolHost {
  poolFacts(): Promise<PoolFacts>;
}

function isPoolHost(p: Provider): p is Provider & XapiPoolHost {
  return p.type === 'xenserver' && typeof (p as Partial<XapiPoolHost>).poolFacts === 'function';
}

function reason(code: string, ...params: string[]): ErrorInfo {
  return xapiFailure([code, ...params]).info;
}

/** The destination's side: its pool record, its master's record, where and how to log in. */
export async function readPoolFacts(ctx: ActionContext, login: { address: string; username: string; password: string }): Promise<PoolFacts> {
  const session = ctx.session();
  const pools = await session.call<Record<string, XapiRecord>>('pool.get_all_records');
  const pool = Object.values(pools)[0];
  if (!pool || !isRef(pool.master)) throw new PolyvisorError({ code: 'SERVER_ERROR', message: 'The pool did not say which host is its master.' });
  const master = await session.call<XapiRecord>('host.get_record', pool.master);
  return { masterAddress: login.address, username: login.username, password: login.password, haEnabled: bool(pool.ha_enabled), master };
}

function cpuOf(host: XapiRecord): string {
  const info = map(host.cpu_info);
  return `${str(info.vendor)}|${str(info.features)}`;
}

async function joinReason(ctx: ActionContext, hostRef: string, destination: Provider): Promise<ErrorInfo | undefined> {
  if (!isPoolHost(destination)) return { code: 'UNSUPPORTED', message: 'Only a XenServer or XCP-ng pool can take this host.' };
  const cache = ctx.tracker.cache;
  if (cache.host.size > 1) return reason('JOINING_HOST_CANNOT_BE_MASTER_OF_OTHER_HOSTS');
  for (const pool of cache.pool.values()) if (bool(pool.ha_enabled)) return reason('HA_IS_ENABLED');
  for (const vm of cache.vm.values()) {
    if (bool(vm.is_control_domain) || bool(vm.is_a_snapshot)) continue;
    if (str(vm.power_state) === 'Running') return reason('JOINING_HOST_CANNOT_HAVE_RUNNING_VMS');
  }
  const srs = await ctx.session().call<Record<string, XapiRecord>>('SR.get_all_records');
  if (Object.values(srs).some((sr) => bool(sr.shared))) return reason('JOINING_HOST_CANNOT_CONTAIN_SHARED_SRS');
  const facts = await destination.poolFacts();
  if (facts.haEnabled) return reason('HA_IS_ENABLED');
  const me = await ctx.session().call<XapiRecord>('host.get_record', hostRef);
  if (str(me.uuid) === str(facts.master.uuid)) return reason('OPERATION_NOT_ALLOWED', 'Host cannot become slave of itself');
  if (str(map(me.software_version).product_version) !== str(map(facts.master.software_version).product_version)) {
    return reason('POOL_JOINING_HOST_MUST_HAVE_SAME_PRODUCT_VERSION');
  }
  if (cpuOf(me) !== cpuOf(facts.master)) return reason('HOSTS_NOT_HOMOGENEOUS', 'CPUs differ');
  return undefined;
}

async function join(ctx: ActionContext, destination: Provider, task: TaskReporter): Promise<ActionResult> {
  if (!isPoolHost(destination)) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'Only a XenServer or XCP-ng pool can take this host.' });
  const facts = await destination.poolFacts();
  const taskRef = await ctx.session().call<string>('Async.pool.join', facts.masterAddress, facts.username, facts.password);
  await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs });
  return {};
}

/** Ejects a member host (on the master); it leaves with its VMs and local storage wiped. */
export async function ejectHost(ctx: ActionContext, hostRef: string, task: TaskReporter): Promise<ActionResult> {
  const taskRef = await ctx.session().call<string>('Async.pool.eject', hostRef);
  await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs });
  return {};
}

export function xapiPools(ctx: ActionContext): ProviderPools {
  return {
    joinReason: async (hostRef, destination) => {
      try {
        return await joinReason(ctx, hostRef, destination);
      } catch (err) {
        return toErrorInfo(err);
      }
    },
    join: (_hostRef, destination, task) => join(ctx, destination, task),
  };
}
