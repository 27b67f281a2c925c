// What a user does with one snapshot beyond reverting to it and deleting it:
//   edit     = RenameSnapshot (name and/or description; a policy's tag stays on the last line)
//   clone    = CloneVM_Task of its VM with spec.snapshot: a new VM in the same folder, powered off
//   template = the same clone with spec.template: a template in one server task
//   revert   = RevertToSnapshot_Task, with a snapshot of the current state first when asked
//              (snapshotFirst), and the VM powered on again where the snapshot holds its
//              memory but the server left it off or suspended
// Cloning needs vCenter: a standalone ESXi host refuses it, so Polyvisor says so first.

import type { ActionParams } from '../../../../shared/contract';
import { defaultSnapshotName } from '../../../../shared/descriptor';
import { PolyvisorError } from '../../../../shared/errors';
import { nodeId } from '../../../../shared/model';
import { markDescription, readMarkedDescription } from '../common/policy-mark';
import { taskStep } from '../common/task-steps';
import type { ActionResult, TaskReporter } from '../provider';
import { vsphereDescriptor } from './descriptor';
import { unsupportedWhenMissing } from './faults';
import type { InventoryModel } from './inventory-model';
import { retrieveOne } from './property-collector';
import { followTask, taskRef } from './tasks';
import type { VimClient } from './vim-client';
import { el, moRef, opt, readMoRef, text, type ManagedObjectReference } from './xml';

export interface SnapshotActionContext {
  serverId: string;
  client: VimClient;
  model: InventoryModel | null;
}

type SnapshotFacts = NonNullable<ReturnType<InventoryModel['snapshot']>>;

const snapshotRef = (value: string): ManagedObjectReference => ({ type: 'VirtualMachineSnapshot', value });

function factsOf(ctx: SnapshotActionContext, ref: string): SnapshotFacts {
  const facts = ctx.model?.snapshot(ref);
  if (!facts) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Snapshot ${ref} is no longer in the inventory.` });
  return facts;
}

/** Runs a *_Task method and follows it; returns the task's result reference, if any. */
async function runTask(ctx: SnapshotActionContext, method: string, target: ManagedObjectReference, args: Parameters<VimClient['call']>[2], task: TaskReporter, what: string) {
  const returned = await ctx.client.call(method, target, args);
  return (await followTask(ctx.client, taskRef(returned, method), task, what)).resultRef;
}

export async function editSnapshot(ctx: SnapshotActionContext, ref: string, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
  const { tree } = factsOf(ctx, ref);
  const name = params.name?.trim();
  if (name !== undefined && name.length > (vsphereDescriptor.snapshotName.maxLength ?? Infinity)) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'name', message: `A snapshot name has at most ${vsphereDescriptor.snapshotName.maxLength} characters here.` });
  }
  const { policyId } = readMarkedDescription(tree.description);
  const description = params.description === undefined ? undefined : markDescription(params.description, policyId);
  try {
    await ctx.client.call('RenameSnapshot', snapshotRef(ref), [opt('name', name || undefined), opt('description', description)]);
  } catch (err) {
    throw unsupportedWhenMissing(err, 'RenameSnapshot', 'This server cannot rename snapshots or change their descriptions');
  }
  task.progress(1);
  return {};
}

export async function copySnapshot(ctx: SnapshotActionContext, ref: string, params: ActionParams, task: TaskReporter, asTemplate: boolean): Promise<ActionResult> {
  if (ctx.model?.isStandaloneHost) {
    throw new PolyvisorError({
      code: 'UNSUPPORTED',
      message: `A standalone ESXi host cannot ${asTemplate ? 'make a template from a snapshot' : 'clone a virtual machine'}: that needs vCenter Server.`,
    });
  }
  const facts = factsOf(ctx, ref);
  const max = vsphereDescriptor.snapshotName.maxLength ?? 80;
  const name = (params.name?.trim() || `${facts.vmName}-${facts.tree.name}`).slice(0, max);
  const folder = await vmFolderFor(ctx, facts.vm);
  const spec = el('spec', [el('location', []), el('template', asTemplate), el('powerOn', false), moRef('snapshot', snapshotRef(ref))]);
  const what = `${asTemplate ? 'Template' : 'Clone'} of ${facts.vmName} from snapshot ${facts.tree.name}`;
  const created = await runTask(ctx, 'CloneVM_Task', facts.vm, [moRef('folder', folder), el('name', name), spec], task, what);
  if (!created) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${what}: the server named no new virtual machine.`, serverCode: 'BadResponse' });
  return { resultId: nodeId(ctx.serverId, asTemplate ? 'template' : 'vm', created.value) };
}

/** The folder the VM is in; a VM in a vApp has none, so its datacenter's VM folder. */
export async function vmFolderFor(ctx: Pick<SnapshotActionContext, 'client' | 'model'>, vm: ManagedObjectReference): Promise<ManagedObjectReference> {
  const parent = readMoRef((await retrieveOne(ctx.client, vm, ['parent']))?.get('parent'));
  if (parent?.type === 'Folder') return parent;
  const dc = ctx.model?.datacenterRef(vm);
  const folder = dc ? readMoRef((await retrieveOne(ctx.client, dc, ['vmFolder']))?.get('vmFolder')) : null;
  if (!folder) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No folder found to put the copy of ${vm.value} in.` });
  return folder;
}

export async function revertToSnapshot(ctx: SnapshotActionContext, ref: string, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
  const known = ctx.model?.snapshot(ref);
  if (!known && !params.snapshotFirst) {
    // not in the tree (gone, or not yet seen): the server has the last word, with its own fault
    await runTask(ctx, 'RevertToSnapshot_Task', snapshotRef(ref), [], task, 'Revert to snapshot');
    return {};
  }
  const facts = known ?? factsOf(ctx, ref);
  let resultId: string | undefined;
  let start = 0;
  if (params.snapshotFirst) {
    const name = defaultSnapshotName(vsphereDescriptor.snapshotName, facts.vmName, new Date());
    const args = [el('name', name), el('description', ''), el('memory', false), el('quiesce', false)];
    const kept = await runTask(ctx, 'CreateSnapshot_Task', facts.vm, args, taskStep(task, 0, 0.3), `Take snapshot (${facts.vmName})`);
    if (kept) resultId = nodeId(ctx.serverId, 'snapshot', kept.value);
    start = 0.3;
  }
  const withMemory = facts.tree.state === 'poweredOn';
  await runTask(ctx, 'RevertToSnapshot_Task', snapshotRef(ref), [], taskStep(task, start, withMemory ? 0.8 : 1), `Revert to snapshot (${facts.tree.name})`);
  if (withMemory) {
    // the snapshot holds the running VM's memory: it should run on from there (vSphere does; where
    // a server leaves it powered off or suspended, powering on resumes it from that memory)
    const power = text((await retrieveOne(ctx.client, facts.vm, ['runtime.powerState']))?.get('runtime.powerState'))?.trim();
    if (power !== 'poweredOn') await runTask(ctx, 'PowerOnVM_Task', facts.vm, [], taskStep(task, 0.8, 1), `Power on (${facts.vmName})`);
  }
  task.progress(1);
  return resultId ? { resultId } : {};
}
