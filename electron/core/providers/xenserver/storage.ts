// An SR's disks (its VDIs, with the VMs whose VBDs use each) and SR.scan (issue 16).
// VDIs and VBDs are read when the tab asks, not kept with the inventory: a large pool
// has tens of thousands and the tree needs none of them.

import type { StorageDisk } from '../../../../shared/storage';
import type { ActionResult, ProviderStorage, TaskReporter } from '../provider';
import type { ActionContext } from './actions';
import { vmKind } from './mapping';
import { bool, isRef, num, refs, str, type XapiRecord } from './records';
import { followTask } from './tasks';
import { moveVmDisk } from './disk-move';
import { XapiVmDisks } from './vm-disks';

/** A VM's disks are `disk` on every platform; xapi's other VDI types (suspend, crashdump, metadata, …) keep their names. */
const CONTENT_OF_TYPE: Record<string, string> = { user: 'disk', system: 'disk', ephemeral: 'disk' };

export class XapiStorage implements ProviderStorage {
  /** a VM's disks added, attached, grown, detached (vm-disks.ts) */
  readonly disks: XapiVmDisks;

  constructor(private readonly ctx: ActionContext) {
    this.disks = new XapiVmDisks(ctx);
  }

  async contents(srRef: string): Promise<StorageDisk[]> {
    const session = this.ctx.session();
    const [sr, vbds] = await Promise.all([
      session.call<XapiRecord>('SR.get_record', srRef),
      session.call<Record<string, XapiRecord>>('VBD.get_all_records'),
    ]);
    const vdiRefs = refs(sr.VDIs);
    const vdis = await Promise.all(vdiRefs.map((ref) => session.call<XapiRecord>('VDI.get_record', ref)));
    const iso = str(sr.content_type) === 'iso';
    const users = this.usersByVdi(vbds);
    return vdiRefs
      .map((ref, i) => diskOf(ref, vdis[i]!, iso, users.get(ref) ?? []))
      .sort((a, b) => a.name.localeCompare(b.name) || a.ref.localeCompare(b.ref));
  }

  async rescan(srRef: string, task: TaskReporter): Promise<ActionResult> {
    const taskRef = await this.ctx.session().call<string>('Async.SR.scan', srRef);
    await followTask(this.ctx.session, taskRef, task, { pollMs: this.ctx.taskPollMs });
    return {};
  }

  /** VDI.pool_migrate for a running VM, VDI.copy and a new VBD for a halted one (disk-move.ts). */
  moveDisk(guest: { nativeRef: string; kind: string }, diskId: string, storageRef: string, task: TaskReporter): Promise<ActionResult> {
    return moveVmDisk(this.ctx, guest.nativeRef, diskId, storageRef, task);
  }

  /** The VMs (templates, snapshots) each VDI is attached to through a VBD, as inventory ids. */
  private usersByVdi(vbds: Record<string, XapiRecord>): Map<string, Array<{ id: string; name: string }>> {
    const out = new Map<string, Array<{ id: string; name: string }>>();
    const vms = this.ctx.tracker.cache.vm;
    for (const vbd of Object.values(vbds)) {
      const vdi = str(vbd.VDI);
      const vmRef = str(vbd.VM);
      const vm = isRef(vmRef) ? vms.get(vmRef) : undefined;
      if (!isRef(vdi) || !vm || bool(vm.is_control_domain)) continue;
      const list = out.get(vdi) ?? [];
      const id = this.ctx.tracker.mapper.id(vmKind(vm), vmRef);
      if (!list.some((u) => u.id === id)) list.push({ id, name: str(vm.name_label) });
      out.set(vdi, list);
    }
    return out;
  }
}

function diskOf(ref: string, vdi: XapiRecord, iso: boolean, usedBy: Array<{ id: string; name: string }>): StorageDisk {
  const type = str(vdi.type);
  return {
    ref,
    name: str(vdi.name_label),
    size: num(vdi.virtual_size),
    used: num(vdi.physical_utilisation),
    snapshot: bool(vdi.is_a_snapshot),
    content: iso ? 'iso' : (CONTENT_OF_TYPE[type] ?? type),
    usedBy: usedBy.sort((a, b) => a.name.localeCompare(b.name)),
  };
}
