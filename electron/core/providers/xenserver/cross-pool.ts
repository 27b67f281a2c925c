// Storage migration to another pool (XenCenter's cross-pool Migrate wizard): the
// destination pool prepares to receive (host.migrate_receive on its own session,
// over its management network) and says where disks may land (the SRs its host
// has plugged); the source checks (VM.assert_can_migrate) and sends
// (Async.VM.migrate_send) with every disk mapped to the chosen SR and every VIF to
// the destination network of the same name — the management network where no
// network has that name.

import { PolyvisorError } from '../../../../shared/errors';
import { nodeId } from '../../../../shared/model';
import type { StorageChoice } from '../../../../shared/migration';
import type { ActionResult, CrossServerMigration, Provider, TaskReporter } from '../provider';
import type { ActionContext } from './actions';
import { bool, isRef, map, num, str, type XapiRecord } from './records';
import { followTask } from './tasks';

/** What the destination hands the source for one move. */
export interface ReceivePlan {
  serverId: string;
  /** host.migrate_receive's answer, passed on untouched */
  dest: Record<string, string>;
  /** network name → ref on the destination */
  networks: Record<string, string>;
  managementNetwork: string;
  defaultSr?: string;
}

/** A XenServer provider that can take VMs from another pool. */
export interface XapiReceiver {
  prepareReceive(hostRef: string): Promise<ReceivePlan>;
}

function isReceiver(p: Provider): p is Provider & XapiReceiver {
  return p.type === 'xenserver' && typeof (p as Partial<XapiReceiver>).prepareReceive === 'function';
}

function defaultSrOf(ctx: ActionContext): string | undefined {
  for (const pool of ctx.tracker.cache.pool.values()) if (isRef(pool.default_SR)) return pool.default_SR;
  return undefined;
}

/** The destination side: its management network, its networks by name, a receive token. */
export async function prepareReceive(ctx: ActionContext, hostRef: string): Promise<ReceivePlan> {
  const session = ctx.session();
  let managementNetwork: string | undefined;
  for (const pif of await session.call<string[]>('host.get_PIFs', hostRef)) {
    const record = await session.call<XapiRecord>('PIF.get_record', pif);
    if (bool(record.management) && isRef(record.network)) managementNetwork = record.network;
  }
  if (!managementNetwork) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'The destination host has no management network to receive the VM over.' });
  const networks: Record<string, string> = {};
  for (const [ref, record] of Object.entries(await session.call<Record<string, XapiRecord>>('network.get_all_records'))) {
    const name = str(record.name_label);
    if (name && !Object.hasOwn(networks, name)) networks[name] = ref;
  }
  const dest = map(await session.call('host.migrate_receive', hostRef, managementNetwork, {})) as Record<string, string>;
  const defaultSr = defaultSrOf(ctx);
  return { serverId: ctx.serverId, dest, networks, managementNetwork, ...(defaultSr ? { defaultSr } : {}) };
}

/** The SRs a VM's disks may land on at this host: plugged there, holding disks (no ISO libraries or DVD drives). */
async function landing(ctx: ActionContext, hostRef: string): Promise<{ storages: StorageChoice[]; offline: boolean }> {
  const session = ctx.session();
  const defaultSr = defaultSrOf(ctx);
  const storages: StorageChoice[] = [];
  for (const pbd of await session.call<string[]>('host.get_PBDs', hostRef)) {
    const plugged = await session.call<XapiRecord>('PBD.get_record', pbd);
    if (!bool(plugged.currently_attached) || !isRef(plugged.SR)) continue;
    const sr = await session.call<XapiRecord>('SR.get_record', plugged.SR);
    if (str(sr.content_type) === 'iso' || str(sr.type) === 'udev') continue;
    const size = num(sr.physical_size);
    const used = num(sr.physical_utilisation) ?? 0;
    storages.push({
      id: plugged.SR,
      name: str(sr.name_label),
      ...(size !== null ? { freeBytes: Math.max(0, size - used) } : {}),
      shared: bool(sr.shared),
      isDefault: plugged.SR === defaultSr,
    });
  }
  return { storages, offline: false };
}

async function send(ctx: ActionContext, vmRef: string, destination: Provider, hostRef: string, options: { storageId?: string }, task: TaskReporter): Promise<ActionResult> {
  if (!isReceiver(destination)) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'A XenServer VM can only move to another XenServer/XCP-ng pool.' });
  if (task.signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'The operation was cancelled.' });
  const receive = await destination.prepareReceive(hostRef);
  const sr = options.storageId ?? receive.defaultSr;
  if (!sr) throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'Choose the storage the disks go to: the destination pool has no default SR.', field: 'storageId' });
  const session = ctx.session();
  const vdiMap: Record<string, string> = {};
  for (const vbd of await session.call<string[]>('VM.get_VBDs', vmRef)) {
    const record = await session.call<XapiRecord>('VBD.get_record', vbd);
    if (str(record.type) === 'Disk' && isRef(record.VDI)) vdiMap[record.VDI] = sr;
  }
  const vifMap: Record<string, string> = {};
  for (const vif of await session.call<string[]>('VM.get_VIFs', vmRef)) {
    const network = await session.call<string>('VIF.get_network', vif);
    const name = str(await session.call('network.get_name_label', network));
    vifMap[vif] = Object.hasOwn(receive.networks, name) ? receive.networks[name]! : receive.managementNetwork;
  }
  await session.call('VM.assert_can_migrate', vmRef, receive.dest, true, vdiMap, vifMap, {}, {});
  const taskRef = await session.call<string>('Async.VM.migrate_send', vmRef, receive.dest, true, vdiMap, vifMap, {}, {});
  const moved = await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs });
  return { resultId: nodeId(receive.serverId, 'vm', moved) };
}

export function crossPoolMigration(ctx: ActionContext): CrossServerMigration {
  return {
    landing: (hostRef) => landing(ctx, hostRef),
    send: (vmRef, destination, hostRef, options, task) => send(ctx, vmRef, destination, hostRef, options, task),
  };
}
