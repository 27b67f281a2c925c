// Moving a VM's disk to another SR (issue 16), as XenCenter's Move Virtual Disk does:
// a running VM's disk moves live with VDI.pool_migrate; a halted VM's disk is copied
// (VDI.copy), its VBD recreated on the copy at the same position, then the old VDI is
// destroyed. A disk another VM also uses is refused before anything happens.

import { PolyvisorError } from '../../../../shared/errors';
import type { ActionResult, TaskReporter } from '../provider';
import type { ActionContext } from './actions';
import { bool, isRef, map, NULL_REF, refs, str, type XapiRecord } from './records';
import { followTask } from './tasks';

export async function moveVmDisk(ctx: ActionContext, vmRef: string, vdiRef: string, srRef: string, task: TaskReporter): Promise<ActionResult> {
  const session = ctx.session();
  const vm = map(await session.call('VM.get_record', vmRef));
  const vdi = map(await session.call('VDI.get_record', vdiRef));
  if (str(vdi.SR) === srRef) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'storageId', message: `${str(vdi.name_label)} is already on that storage.` });
  const vbds = await Promise.all(refs(vdi.VBDs).map(async (ref) => [ref, map(await session.call('VBD.get_record', ref))] as const));
  const mine = vbds.filter(([, vbd]) => vbd.VM === vmRef);
  if (mine.length === 0) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'diskId', message: `${str(vdi.name_label)} is not a disk of ${str(vm.name_label)}.` });
  if (vbds.length > mine.length) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'diskId', message: `${str(vdi.name_label)} is shared with another VM: it cannot move alone.` });
  if (str(vm.power_state) === 'Running') {
    const taskRef = await session.call<string>('Async.VDI.pool_migrate', vdiRef, srRef, {});
    await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs });
    return {};
  }
  if (str(vm.power_state) !== 'Halted') throw new PolyvisorError({ code: 'INVALID_INPUT', message: `Shut down or start ${str(vm.name_label)} first: a ${str(vm.power_state).toLowerCase()} VM's disks do not move.` });
  const copyTask = await session.call<string>('Async.VDI.copy', vdiRef, srRef, NULL_REF, NULL_REF);
  const copy = await followTask(ctx.session, copyTask, task, { pollMs: ctx.taskPollMs, range: [0, 0.9] });
  if (!isRef(copy)) throw new PolyvisorError({ code: 'SERVER_ERROR', message: 'The server did not say which disk the copy is.' });
  for (const [vbdRef, vbd] of mine) await swapVbd(ctx, vbdRef, vbd, copy);
  await ctx.session().call('VDI.destroy', vdiRef);
  task.progress(1);
  return {};
}

/** The VBD again, at the same position with the same flags, on the copy. */
async function swapVbd(ctx: ActionContext, vbdRef: string, vbd: XapiRecord, vdi: string): Promise<void> {
  const session = ctx.session();
  await session.call('VBD.destroy', vbdRef);
  await session.call('VBD.create', {
    VM: vbd.VM,
    VDI: vdi,
    userdevice: str(vbd.userdevice),
    bootable: bool(vbd.bootable),
    mode: str(vbd.mode) || 'RW',
    type: str(vbd.type) || 'Disk',
    unpluggable: bool(vbd.unpluggable),
    empty: false,
    other_config: map(vbd.other_config),
    qos_algorithm_type: str(vbd.qos_algorithm_type),
    qos_algorithm_params: map(vbd.qos_algorithm_params),
  });
}
