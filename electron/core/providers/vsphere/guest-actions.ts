// Cloning, converting and deleting a VM or template (issue 14):
//   clone        CloneVM_Task into the VM's folder: a full copy (vSphere makes linked clones
//                only from a snapshot, which Polyvisor does not offer); a template's copy
//                needs a resource pool: its host's compute resource's root pool
//   to_template  MarkAsTemplate (the VM powered off)
//   to_vm        MarkAsVirtualMachine with a resource pool and a host: the chosen one
//                (ActionParams.targetId), else the template's own, else one of its datacenter
//   destroy      Destroy_Task deletes the VM's files; keepDisks: UnregisterVM, which leaves
//                them on the datastore. A running VM is powered off first only with `force`.
// Cloning and templates need vCenter: a standalone ESXi host refuses, so Polyvisor says so first.

import { PolyvisorError } from '../../../../shared/errors';
import { nodeId, type ActionName } from '../../../../shared/model';
import { taskStep } from '../common/task-steps';
import type { ActionResult, ProviderActionParams, TaskReporter } from '../provider';
import type { InventoryModel } from './inventory-model';
import type { HostFacts } from './migration-rules';
import { rootPool } from './migration';
import { vmFolderFor } from './snapshot-actions';
import { followTask, taskRef } from './tasks';
import type { VimClient } from './vim-client';
import { retrieveOne } from './property-collector';
import { el, moRef, text, type ManagedObjectReference, type Xml } from './xml';

export interface GuestActionContext {
  serverId: string;
  client: VimClient;
  model: InventoryModel | null;
  /** reads these objects again and publishes them (inventory-session.ts) */
  reread(refs: ManagedObjectReference[]): Promise<void>;
  /** takes objects the server has just destroyed out of the tree without asking it (vcsim hangs up on a read of a destroyed VM) */
  forget(refs: ManagedObjectReference[]): void;
}

export const GUEST_ACTIONS = new Set<ActionName>(['clone', 'to_template', 'to_vm', 'destroy']);

const vmRef = (value: string): ManagedObjectReference => ({ type: 'VirtualMachine', value });

export async function runGuestAction(ctx: GuestActionContext, target: { nativeRef: string; kind: string }, action: ActionName, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
  if (target.kind !== 'vm' && target.kind !== 'template') {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${action.replace('_', ' ')} does not apply to a ${target.kind}.` });
  }
  if (action === 'destroy') return destroy(ctx, target.nativeRef, params, task);
  if (ctx.model?.isStandaloneHost) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'A standalone ESXi host has no clones or templates: that needs vCenter Server.' });
  }
  switch (action) {
    case 'clone':
      return clone(ctx, target.nativeRef, params, task);
    case 'to_template':
      await ctx.client.call('MarkAsTemplate', vmRef(target.nativeRef), []);
      await ctx.reread([vmRef(target.nativeRef)]);
      task.progress(1);
      return { resultId: nodeId(ctx.serverId, 'template', target.nativeRef) };
    case 'to_vm':
      return toVm(ctx, target.nativeRef, params.targetRef, task);
    default:
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `vSphere has no "${action}" action for virtual machines.` });
  }
}

/** Runs a *_Task method and follows it to its end. */
export async function runVmTask(client: VimClient, method: string, target: ManagedObjectReference, args: Array<Xml | undefined>, task: TaskReporter, what: string) {
  const returned = await client.call(method, target, args);
  return followTask(client, taskRef(returned, method), task, what);
}

async function clone(ctx: GuestActionContext, ref: string, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
  const source = ctx.model?.guest(ref);
  const name = params.name?.trim() || `${source?.name || ref} (copy)`;
  const folder = await vmFolderFor(ctx, vmRef(ref));
  const host = source?.host ? ctx.model?.host(source.host) : undefined;
  const pool = source?.template ? await rootPool(ctx.client, requireHost(host, source.name)) : undefined;
  const location = el('location', [pool && moRef('pool', pool), host && moRef('host', { type: 'HostSystem', value: host.ref })]);
  const spec = el('spec', [location, el('template', false), el('powerOn', false)]);
  const outcome = await runVmTask(ctx.client, 'CloneVM_Task', vmRef(ref), [moRef('folder', folder), el('name', name), spec], task, `Clone ${source?.name || ref} as ${name}`);
  if (!outcome.resultRef) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `Clone of ${source?.name || ref}: the server named no new virtual machine.`, serverCode: 'BadResponse' });
  return { resultId: nodeId(ctx.serverId, 'vm', outcome.resultRef.value) };
}

async function toVm(ctx: GuestActionContext, ref: string, chosenHost: string | undefined, task: TaskReporter): Promise<ActionResult> {
  const template = ctx.model?.guest(ref);
  const hostRef = chosenHost ?? template?.host ?? ctx.model?.hostList().find((h) => h.datacenter === template?.datacenter && h.connectionState === 'connected')?.ref;
  const host = requireHost(hostRef ? ctx.model?.host(hostRef) : undefined, template?.name || ref);
  const pool = await rootPool(ctx.client, host);
  await ctx.client.call('MarkAsVirtualMachine', vmRef(ref), [moRef('pool', pool), moRef('host', { type: 'HostSystem', value: host.ref })]);
  await ctx.reread([vmRef(ref)]);
  task.progress(1);
  return { resultId: nodeId(ctx.serverId, 'vm', ref) };
}

function requireHost(host: HostFacts | undefined, name: string): HostFacts {
  if (!host) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'targetId', message: `No host found to put ${name} on.` });
  return host;
}

async function destroy(ctx: GuestActionContext, ref: string, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
  // the server's power state now, not the inventory's (a change may still be on its way)
  const now = await retrieveOne(ctx.client, vmRef(ref), ['name', 'runtime.powerState']);
  const name = text(now?.get('name'))?.trim() || ref;
  let start = 0;
  if (text(now?.get('runtime.powerState'))?.trim() === 'poweredOn') {
    if (!params.force) {
      throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'force', message: `${name} is powered on: power it off first, or delete it with force.` });
    }
    await runVmTask(ctx.client, 'PowerOffVM_Task', vmRef(ref), [], taskStep(task, 0, 0.3), `Power off ${name}`);
    start = 0.3;
  }
  if (params.keepDisks) {
    // not a task: the VM leaves the inventory when the call returns, its files stay on the datastore
    await ctx.client.call('UnregisterVM', vmRef(ref), []);
  } else {
    await runVmTask(ctx.client, 'Destroy_Task', vmRef(ref), [], taskStep(task, start, 1), `Delete ${name}`);
  }
  ctx.forget([vmRef(ref)]);
  task.progress(1);
  return {};
}
