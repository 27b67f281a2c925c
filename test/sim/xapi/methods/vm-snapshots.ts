// VM.snapshot, VM.checkpoint and VM.revert with the record changes xapi makes
// (Xapi_vm_snapshot): parent/children, snapshot VDIs, the memory image of a
// checkpoint, and a revert that gives the VM fresh copies of the snapshot's disks.
import type { CallContext, SimCore } from '../core';
import type { XapiRecord } from '../database';
import { XapiFailure } from '../failure';
import { cloneVdi, copyVm } from './vm-copies';
import { halt, refreshVm, SESSION, VM, vmOp } from './vm';
import { assertVmOperation } from './vm-rules';

/** VM.snapshot / VM.checkpoint's own checks: a plain VM, in a power state the operation takes. */
export function assertCanSnapshot(core: SimCore, vm: string, op: 'snapshot' | 'checkpoint'): void {
  const r = core.db.get('VM', vm)!;
  if (r.is_a_snapshot || r.is_a_template || r.is_control_domain) {
    throw new XapiFailure('OPERATION_NOT_ALLOWED', `${op} is not allowed on a template, snapshot or control domain`);
  }
  assertVmOperation(core, vm, op);
}

export function registerVmSnapshotMethods(core: SimCore): void {
  const check = (op: 'snapshot' | 'checkpoint') => ({ core: c }: CallContext, vm: string) => assertCanSnapshot(c, vm, op);
  core.register({
    ...vmOp(
      'VM.snapshot',
      'snapshot',
      [SESSION, VM, ['string', 'new_name'], ['VDI ref set', 'ignore_vdis']],
      ['VM_BAD_POWER_STATE', 'OPERATION_NOT_ALLOWED'],
      ({ core: c }, vm, args) => copyVm(c, vm, 'snapshot', { name: args[2] as string, ignoreVdis: (args[3] as string[] | undefined) ?? [] }),
      check('snapshot'),
    ),
    minArgs: 3, // ignore_vdis was added later with a default
  });
  core.register(
    vmOp(
      'VM.checkpoint',
      'checkpoint',
      [SESSION, VM, ['string', 'new_name']],
      ['VM_BAD_POWER_STATE', 'OPERATION_NOT_ALLOWED'],
      ({ core: c }, vm, args) => copyVm(c, vm, 'checkpoint', { name: args[2] as string }),
      check('checkpoint'),
    ),
  );

  const revertCheck = ({ core: c }: CallContext, snap: string) => {
    const s = c.db.get('VM', snap)!;
    if (!s.is_a_snapshot) throw new XapiFailure('OPERATION_NOT_ALLOWED', 'revert needs a snapshot');
    const vm = s.snapshot_of as string;
    if (!c.db.get('VM', vm)) throw new XapiFailure('VM_REVERT_FAILED', snap, 'the snapshotted VM no longer exists');
    if (Object.keys(c.db.get('VM', vm)!.current_operations as object).length) throw new XapiFailure('OTHER_OPERATION_IN_PROGRESS', 'VM', vm);
  };
  core.register({
    name: 'VM.revert',
    params: [SESSION, ['VM ref', 'snapshot']],
    errors: ['VM_BAD_POWER_STATE', 'OPERATION_NOT_ALLOWED', 'VM_REVERT_FAILED'],
    async: true,
    precheck: (ctx, args) => {
      revertCheck(ctx, args[1] as string);
      return { cls: 'VM', ref: ctx.core.db.get('VM', args[1] as string)!.snapshot_of as string, op: 'revert' };
    },
    run: (ctx, args) => {
      revertCheck(ctx, args[1] as string);
      const vm = revertTo(ctx.core, args[1] as string);
      refreshVm(ctx.core, vm);
      return undefined;
    },
  });
}

/** VM.revert: the VM gets fresh copies of the snapshot's disks and its power state. */
function revertTo(core: SimCore, snapRef: string): string {
  const snap = core.db.get('VM', snapRef)!;
  const vmRef = snap.snapshot_of as string;
  const vm = core.db.get('VM', vmRef)!;
  if (vm.power_state !== 'Halted') halt(core, vmRef); // xapi hard-shuts the VM down first
  // disks: the VM's own disk VDIs are replaced by clones of the snapshot's
  const snapDisks = new Map<string, string>(); // userdevice → snapshot VDI
  for (const vbd of snap.VBDs as string[]) {
    const r = core.db.get('VBD', vbd);
    if (r && r.type === 'Disk' && core.db.get('VDI', r.VDI as string)) snapDisks.set(String(r.userdevice), r.VDI as string);
  }
  for (const vbd of (vm.VBDs as string[]).slice()) {
    const r = core.db.get('VBD', vbd);
    if (!r || r.type !== 'Disk') continue;
    const from = snapDisks.get(String(r.userdevice));
    if (!from) continue;
    const old = r.VDI as string;
    core.db.set('VBD', vbd, 'VDI', cloneVdi(core, from, undefined));
    const oldRec = core.db.get('VDI', old);
    if (oldRec && (oldRec.VBDs as string[]).length === 0) core.db.remove('VDI', old);
  }
  const patch: XapiRecord = {
    parent: snapRef,
    memory_static_max: snap.memory_static_max,
    memory_dynamic_max: snap.memory_dynamic_max,
    memory_dynamic_min: snap.memory_dynamic_min,
    memory_static_min: snap.memory_static_min,
    VCPUs_max: snap.VCPUs_max,
    VCPUs_at_startup: snap.VCPUs_at_startup,
    platform: snap.platform,
    power_state: 'Halted',
  };
  if (snap.power_state === 'Suspended' && core.db.get('VDI', snap.suspend_VDI as string)) {
    patch.power_state = 'Suspended';
    patch.suspend_VDI = cloneVdi(core, snap.suspend_VDI as string, undefined);
  }
  core.db.update('VM', vmRef, patch);
  return vmRef;
}
