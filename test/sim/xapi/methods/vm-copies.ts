// New VMs made from a VM, as Xapi_vm_clone.clone makes them for its disk
// operations: a snapshot or checkpoint (snapshot VDIs, a halted or suspended
// template that knows its VM) or a clone (cloned VDIs, a new top-level VM or
// template); and the removal of a snapshot with the disks only it used.
import type { SimCore } from '../core';
import type { XapiRecord } from '../database';
import { EPOCH, NULL_REF } from '../model';
import { account } from './devices';
import { createSuspendVdi, destroyVm } from './vm';
import { vmAllowedOperations } from './vm-rules';

export type CopyKind = 'snapshot' | 'checkpoint' | 'clone';

export interface CopyOptions {
  name: string;
  /** VM.snapshot's ignore_vdis */
  ignoreVdis?: string[];
  /** taken by a snapshot schedule (xapi: the session is the VMSS plugin's) */
  isVmssSnapshot?: boolean;
  /** VM.copy: full copies of the disks, on this SR (NULL_REF = each on its own disk's SR) instead of copy-on-write clones */
  fullCopyTo?: string;
}

function copyRecord(core: SimCore, cls: string, ref: string): XapiRecord | undefined {
  const r = core.db.get(cls, ref);
  return r ? structuredClone(r) : undefined;
}

/** VDI.snapshot (asSnapshotOf = the source) or VDI.clone (undefined): copy-on-write children of the source's content. */
export function cloneVdi(core: SimCore, vdi: string, asSnapshotOf: string | undefined): string {
  const src = copyRecord(core, 'VDI', vdi)!;
  const now = core.now();
  const uuid = crypto.randomUUID();
  return core.db.add('VDI', {
    ...src,
    uuid,
    location: uuid,
    sm_config: { ...(src.sm_config as object), 'vhd-parent': src.uuid },
    VBDs: [],
    snapshots: [],
    crash_dumps: [],
    current_operations: {},
    is_a_snapshot: asSnapshotOf !== undefined,
    snapshot_of: asSnapshotOf ?? NULL_REF,
    snapshot_time: asSnapshotOf ? now : EPOCH,
  });
}

/** VDI.copy: a disk of its own (no parent) on `sr`, as full as the source. */
export function copyVdi(core: SimCore, vdi: string, sr: string): string {
  const src = copyRecord(core, 'VDI', vdi)!;
  const uuid = crypto.randomUUID();
  const sm = { ...(src.sm_config as Record<string, unknown>) };
  delete sm['vhd-parent'];
  const copy = core.db.add('VDI', {
    ...src,
    uuid,
    location: uuid,
    SR: sr,
    sm_config: sm,
    physical_utilisation: src.virtual_size,
    VBDs: [],
    snapshots: [],
    crash_dumps: [],
    current_operations: {},
    is_a_snapshot: false,
    snapshot_of: NULL_REF,
    snapshot_time: EPOCH,
  });
  account(core, sr, Number(src.virtual_size) || 0);
  return copy;
}

/** The bytes VM.copy would write on each SR (SR_FULL is checked before anything is made). */
export function copySpace(core: SimCore, vmRef: string, sr: string): Map<string, number> {
  const need = new Map<string, number>();
  for (const vbd of core.db.get('VM', vmRef)!.VBDs as string[]) {
    const r = core.db.get('VBD', vbd);
    const vdi = r && r.type === 'Disk' ? core.db.get('VDI', r.VDI as string) : undefined;
    if (!vdi) continue;
    const target = sr === NULL_REF ? (vdi.SR as string) : sr;
    need.set(target, (need.get(target) ?? 0) + (Number(vdi.virtual_size) || 0));
  }
  return need;
}

/** other_config of a clone: a fresh MAC seed, no built-in-template marks, the template it came from. */
function cloneOtherConfig(src: XapiRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(src.other_config as object) };
  out.mac_seed = crypto.randomUUID();
  delete out.default_template;
  delete out.xensource_internal;
  if (src.is_a_template && out.base_template_name === undefined) out.base_template_name = src.name_label;
  return out;
}

export function copyVm(core: SimCore, vmRef: string, kind: CopyKind, opts: CopyOptions): string {
  const vm = core.db.get('VM', vmRef)!;
  const power = vm.power_state as string;
  const isSnapshot = kind !== 'clone';
  const suspended = (kind === 'checkpoint' && (power === 'Running' || power === 'Suspended')) || (kind === 'clone' && power === 'Suspended');
  const srcMetrics = copyRecord(core, 'VM_metrics', vm.metrics as string);
  // every VM has its metrics object, also when its source (a template of a generated pool) had none
  const metrics = core.db.add('VM_metrics', srcMetrics ? { ...srcMetrics, uuid: '' } : {});
  const src = structuredClone(vm);
  const copy = core.db.add('VM', {
    ...src,
    uuid: '',
    name_label: opts.name,
    power_state: suspended ? 'Suspended' : 'Halted',
    allowed_operations: [],
    current_operations: {},
    is_a_template: isSnapshot || Boolean(vm.is_a_template),
    is_default_template: false,
    is_a_snapshot: isSnapshot,
    snapshot_of: isSnapshot ? vmRef : NULL_REF,
    snapshot_time: isSnapshot ? core.now() : EPOCH,
    snapshot_info: isSnapshot ? { 'disk-snapshot-type': 'crash_consistent', 'power-state-at-snapshot': power } : {},
    // CA-52668: a clone is a new top-level VM
    parent: isSnapshot ? vm.parent : NULL_REF,
    other_config: isSnapshot ? src.other_config : cloneOtherConfig(src),
    children: [],
    snapshots: [],
    VBDs: [],
    VIFs: [],
    consoles: [],
    crash_dumps: [],
    VTPMs: [],
    VGPUs: [],
    VUSBs: [],
    attached_PCIs: [],
    resident_on: NULL_REF,
    scheduled_to_be_resident_on: NULL_REF,
    suspend_VDI: NULL_REF,
    domid: -1,
    metrics,
    blobs: {},
    ha_always_run: false,
    protection_policy: NULL_REF,
    snapshot_schedule: NULL_REF,
    is_vmss_snapshot: isSnapshot && Boolean(opts.isVmssSnapshot),
    appliance: NULL_REF,
    requires_reboot: false,
  });
  copyDevices(core, vm, copy, isSnapshot, opts);
  if (suspended) {
    const suspendVdi = vm.suspend_VDI as string;
    const image = kind === 'clone' && core.db.get('VDI', suspendVdi) ? cloneVdi(core, suspendVdi, undefined) : createSuspendVdi(core, vm, `Suspend image for ${opts.name}`);
    core.db.set('VM', copy, 'suspend_VDI', image);
  }
  core.db.set('VM', copy, 'allowed_operations', vmAllowedOperations(core.db.get('VM', copy)!));
  if (isSnapshot) core.db.set('VM', vmRef, 'parent', copy);
  return copy;
}

/** The copy's VBDs (disks snapshotted or cloned, CDs shared) and VIFs. */
function copyDevices(core: SimCore, vm: XapiRecord, copy: string, isSnapshot: boolean, opts: CopyOptions): void {
  const ignoreVdis = opts.ignoreVdis ?? [];
  for (const vbd of vm.VBDs as string[]) {
    const r = copyRecord(core, 'VBD', vbd);
    if (!r) continue;
    let vdi = r.VDI as string;
    if (r.type === 'Disk' && core.db.get('VDI', vdi)) {
      if (ignoreVdis.includes(vdi)) continue;
      if (opts.fullCopyTo !== undefined) {
        vdi = copyVdi(core, vdi, opts.fullCopyTo === NULL_REF ? (core.db.get('VDI', vdi)!.SR as string) : opts.fullCopyTo);
      } else {
        vdi = cloneVdi(core, vdi, isSnapshot ? vdi : undefined);
      }
    }
    core.db.add('VBD', {
      ...r,
      uuid: '',
      VM: copy,
      VDI: vdi,
      currently_attached: false,
      current_operations: {},
      metrics: NULL_REF,
      other_config: r.type === 'Disk' ? { ...(r.other_config as object), owner: '' } : r.other_config,
    });
  }
  for (const vif of vm.VIFs as string[]) {
    const r = copyRecord(core, 'VIF', vif);
    if (r) core.db.add('VIF', { ...r, uuid: '', VM: copy, currently_attached: false, current_operations: {}, metrics: NULL_REF });
  }
}

/** A snapshot and the disks (and memory image) no other VM uses, as XenCenter's VMSnapshotDeleteAction removes them. */
export function destroySnapshotWithDisks(core: SimCore, snapshotRef: string): void {
  const snap = core.db.get('VM', snapshotRef)!;
  const vdis: string[] = [];
  for (const vbd of snap.VBDs as string[]) {
    const r = core.db.get('VBD', vbd);
    if (r && r.type === 'Disk' && core.db.get('VDI', r.VDI as string)) vdis.push(r.VDI as string);
  }
  if (core.db.get('VDI', snap.suspend_VDI as string)) vdis.push(snap.suspend_VDI as string);
  destroyVm(core, snapshotRef);
  for (const vdi of vdis) {
    const r = core.db.get('VDI', vdi);
    if (r && (r.VBDs as string[]).length === 0) core.db.remove('VDI', vdi);
  }
}
