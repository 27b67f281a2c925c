// Clone, convert to a template, and delete a Proxmox VE guest (runAction):
//   clone       = POST …/clone into the next free VMID; `full` as asked, else PVE's
//                 default (linked from a template, a full copy otherwise)
//   to_template = POST …/template (PVE cannot turn a template back: to_vm is refused)
//   destroy     = DELETE …/{vmid} with purge and destroy-unreferenced-disks: PVE always
//                 removes the guest's own disks, so keeping them is refused; a running
//                 VM is stopped first when forced (a container takes `force` itself)

import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError } from '../../../../shared/errors';
import { nodeId, type ActionName } from '../../../../shared/model';
import { taskStep } from '../common/task-steps';
import type { ActionResult, TaskReporter } from '../provider';
import { followTask, guestPath, type GuestTarget } from './actions';
import { readUpid } from './answers';
import { guestRef } from './model-map';
import { withNextVmid } from './next-vmid';
import { cloneName, convertToTemplate, type SnapshotActionDeps } from './snapshot-actions';

export const LIFECYCLE: ReadonlySet<ActionName> = new Set(['clone', 'to_template', 'to_vm', 'destroy']);

export async function runLifecycleAction(deps: SnapshotActionDeps, guest: GuestTarget, action: ActionName, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
  switch (action) {
    case 'clone':
      return cloneGuest(deps, guest, params, task);
    case 'to_template':
      await convertToTemplate(deps, guest, task);
      return {};
    case 'to_vm':
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'Proxmox VE cannot turn a template back into a VM or container: clone it instead.' });
    default:
      return destroyGuest(deps, guest, params, task);
  }
}

async function cloneGuest(deps: SnapshotActionDeps, guest: GuestTarget, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
  const { client } = deps;
  const name = cloneName(params, { ...guest, snapname: 'clone' });
  const cloneParams = { [guest.type === 'qemu' ? 'name' : 'hostname']: name, ...(params.full !== undefined ? { full: params.full ? 1 : 0 } : {}) };
  const { vmid, upid } = await withNextVmid(client, (newid) => client.post(`${guestPath(guest)}/clone`, readUpid, { ...cloneParams, newid }), deps.log);
  await followTask(client, upid, task, deps.taskPollMs, 4, deps.log);
  return { resultId: nodeId(deps.serverId, guest.type === 'qemu' ? 'vm' : 'container', guestRef(guest.type, vmid)) };
}

async function destroyGuest(deps: SnapshotActionDeps, guest: GuestTarget, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
  const { client } = deps;
  if (params.keepDisks) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', field: 'keepDisks', message: "Proxmox VE always removes a guest's own disks with it; detach a disk first to keep it." });
  }
  const running = guest.status !== undefined && guest.status !== 'stopped';
  let step = task;
  if (running && params.force && guest.type === 'qemu') {
    await followTask(client, await client.post(`${guestPath(guest)}/status/stop`, readUpid), taskStep(task, 0, 0.3), deps.taskPollMs, 2, deps.log);
    step = taskStep(task, 0.3, 1);
  }
  const upid = await client.delete(guestPath(guest), readUpid, {
    purge: 1,
    'destroy-unreferenced-disks': 1,
    ...(guest.type === 'lxc' && params.force ? { force: 1 } : {}),
  });
  await followTask(client, upid, step, deps.taskPollMs, 3, deps.log);
  return {};
}
