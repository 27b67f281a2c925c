// A VM's disks changed (issue 16), as XenCenter's Storage tab does it: a new disk is a
// VDI.create and a VBD.create at the next free position, plugged at once into a running
// VM (VBD.plug); a free disk is a VDI no VBD uses, attached the same way; a disk grows
// with VDI.resize while its VBD is detached, VDI.resize_online while attached (the SR's
// driver decides: SR_OPERATION_NOT_SUPPORTED where it cannot); a detach unplugs the VBD
// of a running VM and destroys it, and the VDI too when asked.

import { PolyvisorError } from '../../../../shared/errors';
import type { FreeDisk } from '../../../../shared/disks';
import type { ActionResult, TaskReporter } from '../provider';
import type { ProviderDisks } from '../provider-disks';
import type { GuestTarget } from '../provider-networks';
import type { ActionContext } from './actions';
import { bool, isRef, map, num, refs, str, type XapiRecord } from './records';
import { followTask } from './tasks';
import { XapiInt } from './transport';

/** A new empty disk on the SR, attached to the VM at the next free position; its VBD's ref. */
export async function createVmDisk(ctx: ActionContext, vm: string, disk: { sr: string; sizeBytes: number; name: string }): Promise<string> {
  const vdi = await ctx.session().call<string>('VDI.create', {
    name_label: disk.name,
    name_description: '',
    SR: disk.sr,
    virtual_size: new XapiInt(disk.sizeBytes),
    type: 'user',
    sharable: false,
    read_only: false,
    other_config: {},
    xenstore_data: {},
    sm_config: {},
    tags: [],
  });
  return createVbd(ctx, vm, vdi);
}

function createVbd(ctx: ActionContext, vm: string, vdi: string): Promise<string> {
  return ctx.session().call<string>('VBD.create', {
    VM: vm,
    VDI: vdi,
    userdevice: 'autodetect',
    bootable: false,
    mode: 'RW',
    type: 'Disk',
    unpluggable: true,
    empty: false,
    other_config: { owner: '' },
    qos_algorithm_type: '',
    qos_algorithm_params: {},
  });
}

export class XapiVmDisks implements ProviderDisks {
  constructor(private readonly ctx: ActionContext) {}

  /** User disks on the VM's pool that no VBD uses: not snapshots, not on ISO libraries. */
  async attachable(_guest: GuestTarget): Promise<FreeDisk[]> {
    const session = this.ctx.session();
    const [vdis, srs] = await Promise.all([session.call<Record<string, XapiRecord>>('VDI.get_all_records'), session.call<Record<string, XapiRecord>>('SR.get_all_records')]);
    return Object.entries(vdis)
      .filter(([, vdi]) => refs(vdi.VBDs).length === 0 && !bool(vdi.is_a_snapshot) && str(vdi.type) === 'user' && !bool(vdi.missing))
      .filter(([, vdi]) => str(srs[str(vdi.SR)]?.content_type) !== 'iso')
      .map(([ref, vdi]) => ({ id: ref, name: str(vdi.name_label), sizeBytes: num(vdi.virtual_size) ?? 0, storageName: str(srs[str(vdi.SR)]?.name_label) }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async add(guest: GuestTarget, disk: { storageRef: string; sizeBytes: number; name: string }, task: TaskReporter): Promise<ActionResult> {
    const vbd = await createVmDisk(this.ctx, guest.nativeRef, { sr: disk.storageRef, sizeBytes: disk.sizeBytes, name: disk.name });
    await this.plugIfRunning(guest.nativeRef, vbd, task);
    return {};
  }

  async attach(guest: GuestTarget, diskId: string, task: TaskReporter): Promise<ActionResult> {
    const vbd = await createVbd(this.ctx, guest.nativeRef, diskId);
    await this.plugIfRunning(guest.nativeRef, vbd, task);
    return {};
  }

  async resize(guest: GuestTarget, diskId: string, sizeBytes: number, task: TaskReporter): Promise<ActionResult> {
    const mine = await this.vbdsOf(guest.nativeRef, diskId);
    const online = mine.some(([, vbd]) => bool(vbd.currently_attached));
    const taskRef = await this.ctx.session().call<string>(online ? 'Async.VDI.resize_online' : 'Async.VDI.resize', diskId, new XapiInt(sizeBytes));
    await followTask(this.ctx.session, taskRef, task, { pollMs: this.ctx.taskPollMs });
    return {};
  }

  async detach(guest: GuestTarget, diskId: string, deleteDisk: boolean, task: TaskReporter): Promise<ActionResult> {
    const session = this.ctx.session();
    const mine = await this.vbdsOf(guest.nativeRef, diskId);
    for (const [ref, vbd] of mine) {
      if (bool(vbd.currently_attached)) await session.call('VBD.unplug', ref);
      await session.call('VBD.destroy', ref);
    }
    task.progress(deleteDisk ? 0.5 : 1);
    if (deleteDisk) {
      const taskRef = await session.call<string>('Async.VDI.destroy', diskId);
      await followTask(this.ctx.session, taskRef, task, { pollMs: this.ctx.taskPollMs, range: [0.5, 1] });
    }
    return {};
  }

  /** The VM's VBDs on this VDI; none is the caller's mistake, named by field. */
  private async vbdsOf(vm: string, vdi: string): Promise<Array<[string, XapiRecord]>> {
    const session = this.ctx.session();
    const record = map(await session.call('VDI.get_record', vdi));
    const vbds = await Promise.all(refs(record.VBDs).map(async (ref) => [ref, map(await session.call('VBD.get_record', ref))] as [string, XapiRecord]));
    const mine = vbds.filter(([, vbd]) => vbd.VM === vm);
    if (mine.length === 0) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'diskId', message: `${str(record.name_label)} is not a disk of this VM.` });
    return mine;
  }

  private async plugIfRunning(vm: string, vbd: string, task: TaskReporter): Promise<void> {
    const state = str(await this.ctx.session().call('VM.get_power_state', vm));
    if (state === 'Running' && isRef(vbd)) await this.ctx.session().call('VBD.plug', vbd);
    task.progress(1);
  }
}
