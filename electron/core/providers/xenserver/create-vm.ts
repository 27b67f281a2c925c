// A new VM from a template, in the steps XenCenter's CreateVMAction takes: clone the
// template (copy it when a custom template's disks must land on another SR),
// grow a custom template's copied disks to the sizes asked (VDI.resize; never smaller),
// write the chosen SRs and sizes into the copy's provisioning XML and provision it
// (xapi makes those disks and turns the template into a VM), set description,
// vCPUs and memory, add the extra disks, the network interfaces and the CD, set
// the home host, start it when asked. A step that fails is named with XAPI's code;
// everything made before it is removed again (the VM is halted: xapi allows it).

import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import type { DiskSpec, MemoryConfig } from '../../../../shared/guests';
import { nodeId } from '../../../../shared/model';
import { taskStep } from '../common/task-steps';
import type { ActionResult, ProviderCreateSpec, TaskReporter } from '../provider';
import type { ActionContext } from './actions';
import { attachIso, setMemory, setVcpus } from './guest-settings';
import { defaultSrRef } from './guest-choices';
import { readProvisionXml, writeProvisionXml } from './provision-xml';
import { checkGrowOnly, growDisks, ownDisks } from './template-disks';
import { bool, isRef, map, num, refs, str, type XapiRecord } from './records';
import { followTask } from './tasks';
import { XapiInt } from './transport';
import { createVmDisk } from './vm-disks';
import { destroyWithDisks, quietly } from './vm-removal';

type Step = 'clone' | 'copy' | 'provision' | 'settings' | 'disks' | 'networks' | 'cd' | 'home host' | 'start';

export async function createVm(ctx: ActionContext, spec: ProviderCreateSpec, task: TaskReporter): Promise<ActionResult> {
  const name = spec.name.trim();
  if (!name) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'name', message: 'The new VM needs a name.' });
  const template = map(await ctx.session().call('VM.get_record', spec.templateId));
  if (!bool(template.is_a_template) || bool(template.is_a_snapshot)) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'templateId', message: `${str(template.name_label) || 'This VM'} is not a template.` });
  }
  const provisionXml = readProvisionXml(str(map(template.other_config).disks));
  // a custom template's disks are copied and may only grow: a smaller size is refused before anything is made
  if (!provisionXml.length) checkGrowOnly(await ownDisks(ctx, refs(template.VBDs)), spec.disks);
  let step: Step = 'clone';
  let vm: string | undefined;
  try {
    const copyTo = provisionXml.length ? undefined : await copyTarget(ctx, template, spec.disks);
    step = copyTo ? 'copy' : 'clone';
    const cloneTask = copyTo
      ? await ctx.session().call<string>('Async.VM.copy', spec.templateId, name, copyTo)
      : await ctx.session().call<string>('Async.VM.clone', spec.templateId, name);
    vm = await followTask(ctx.session, cloneTask, taskStep(task, 0, 0.3), { pollMs: ctx.taskPollMs });

    step = 'disks';
    const copies = provisionXml.length ? [] : await ownDisks(ctx, await ctx.session().call<string[]>('VM.get_VBDs', vm));
    await growDisks(ctx, copies, spec.disks, taskStep(task, 0.3, 0.35));

    step = 'provision';
    if (provisionXml.length) await placeProvisionedDisks(ctx, vm, provisionXml, spec.disks ?? []);
    await followTask(ctx.session, await ctx.session().call<string>('Async.VM.provision', vm), taskStep(task, 0.3, 0.55), { pollMs: ctx.taskPollMs });

    step = 'settings';
    if (spec.description !== undefined) await ctx.session().call('VM.set_name_description', vm, spec.description);
    if (spec.vcpus !== undefined) await setVcpus(ctx, vm, spec.vcpus, false);
    if (spec.memory) await setMemory(ctx, vm, newMemory(template, spec.memory), false);
    task.progress(0.6);

    step = 'disks';
    const templateDisks = provisionXml.length || copies.length;
    await addDisks(ctx, vm, name, (spec.disks ?? []).slice(templateDisks));
    task.progress(0.7);

    step = 'networks';
    if (spec.networks) await replaceVifs(ctx, vm, spec.networks.map((n) => n.networkId));
    task.progress(0.75);

    step = 'cd';
    if (spec.isoId !== undefined) await attachIso(ctx, vm, spec.isoId);
    else if (provisionXml.length) await attachIso(ctx, vm, null);

    step = 'home host';
    if (spec.hostRef) await ctx.session().call('VM.set_affinity', vm, spec.hostRef);
    task.progress(0.8);
  } catch (err) {
    throw await failed(ctx, task, name, step, err, vm);
  }
  if (spec.start) {
    try {
      const start = spec.hostRef
        ? await ctx.session().call<string>('Async.VM.start_on', vm, spec.hostRef, false, false)
        : await ctx.session().call<string>('Async.VM.start', vm, false, false);
      await followTask(ctx.session, start, taskStep(task, 0.8, 1), { pollMs: ctx.taskPollMs });
    } catch (err) {
      const info = toErrorInfo(err);
      throw new PolyvisorError({ ...info, message: `"${name}" was created, but starting it failed: ${info.message}` }, { cause: err });
    }
  }
  task.progress(1);
  return { resultId: nodeId(ctx.serverId, 'vm', vm) };
}

/** Names the step, keeps XAPI's code, and removes the half-made VM with the disks made for it. */
async function failed(ctx: ActionContext, task: TaskReporter, name: string, step: Step, err: unknown, vm: string | undefined): Promise<PolyvisorError> {
  const info = toErrorInfo(err);
  let cleanup = '';
  if (vm) {
    try {
      await destroyWithDisks(ctx, vm, { keepDisks: false }, quietly(task));
    } catch (cleanupErr) {
      cleanup = ` Removing the half-made VM failed too (${toErrorInfo(cleanupErr).message}); delete "${name}" by hand.`;
    }
  }
  return new PolyvisorError({ ...info, message: `Creating "${name}" failed at the ${step} step: ${info.message}${cleanup}` }, { cause: err });
}

/** A custom template's disks go where its first disk is asked to go: VM.copy when that is another SR. */
async function copyTarget(ctx: ActionContext, template: XapiRecord, disks: DiskSpec[] | undefined): Promise<string | undefined> {
  const wanted = disks?.[0]?.storageId;
  if (!wanted) return undefined;
  for (const vbd of refs(template.VBDs)) {
    const record = map(await ctx.session().call('VBD.get_record', vbd));
    if (str(record.type) !== 'Disk' || !isRef(record.VDI)) continue;
    const sr = await ctx.session().call<string>('VDI.get_SR', record.VDI);
    return sr === wanted ? undefined : wanted;
  }
  return undefined;
}

/** Writes each provisioned disk's SR (uuid) and size into the new VM's copy of the template's XML. */
async function placeProvisionedDisks(ctx: ActionContext, vm: string, xml: ReturnType<typeof readProvisionXml>, disks: DiskSpec[]): Promise<void> {
  const session = ctx.session();
  const fallback = defaultSrRef(ctx);
  const uuids = new Map<string, string>();
  const uuidOf = async (sr: string) => {
    if (!uuids.has(sr)) uuids.set(sr, await session.call<string>('SR.get_uuid', sr));
    return uuids.get(sr)!;
  };
  const placed = [];
  for (const [i, disk] of xml.entries()) {
    const sr = disks[i]?.storageId ?? fallback;
    if (!sr) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'disks', message: 'Choose the storage for the disks: the pool has no default SR.' });
    placed.push({ ...disk, sr: await uuidOf(sr), size: disks[i]?.sizeBytes ?? disk.size });
  }
  await session.call('VM.remove_from_other_config', vm, 'disks');
  await session.call('VM.add_to_other_config', vm, 'disks', writeProvisionXml(placed));
}

async function addDisks(ctx: ActionContext, vm: string, vmName: string, disks: DiskSpec[]): Promise<void> {
  const fallback = defaultSrRef(ctx);
  for (const [i, disk] of disks.entries()) {
    const sr = disk.storageId ?? fallback;
    if (!sr) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'disks', message: 'Choose the storage for the new disk: the pool has no default SR.' });
    await createVmDisk(ctx, vm, { sr, sizeBytes: disk.sizeBytes, name: disk.name?.trim() || `${vmName} disk ${i + 1}` });
  }
}

/** The wizard's list replaces the template's interfaces (XenCenter's Networking page). */
async function replaceVifs(ctx: ActionContext, vm: string, networks: string[]): Promise<void> {
  for (const vif of await ctx.session().call<string[]>('VM.get_VIFs', vm)) await ctx.session().call('VIF.destroy', vif);
  for (const [i, network] of networks.entries()) {
    await ctx.session().call('VIF.create', {
      device: String(i),
      network,
      VM: vm,
      MAC: '',
      MTU: new XapiInt(1500),
      other_config: {},
      qos_algorithm_type: '',
      qos_algorithm_params: {},
    });
  }
}

/** The template's memory with the wizard's changes; a size alone pins the range to it (no dynamic memory). */
function newMemory(template: XapiRecord, change: Partial<MemoryConfig>): Required<Pick<MemoryConfig, 'sizeBytes' | 'staticMinBytes' | 'dynamicMinBytes' | 'dynamicMaxBytes'>> {
  const size = change.sizeBytes ?? num(template.memory_static_max) ?? 0;
  const pinned = change.sizeBytes !== undefined && change.dynamicMinBytes === undefined && change.dynamicMaxBytes === undefined;
  return {
    sizeBytes: size,
    staticMinBytes: change.staticMinBytes ?? Math.min(num(template.memory_static_min) ?? size, size),
    dynamicMinBytes: change.dynamicMinBytes ?? (pinned ? size : (num(template.memory_dynamic_min) ?? size)),
    dynamicMaxBytes: change.dynamicMaxBytes ?? (pinned ? size : (num(template.memory_dynamic_max) ?? size)),
  };
}
