// VM lifecycle (start, shutdown, reboot, suspend/resume, pause/unpause,
// destroy) and snapshots (snapshot, checkpoint, revert), with the record
// changes xapi makes: power_state, resident_on, domid, consoles, VM_metrics,
// suspend_VDI, parent/children, snapshot VDIs.
import type { CallContext, MethodDef, Param, SimCore } from '../core';
import type { XapiRecord } from '../database';
import { XapiFailure } from '../failure';
import { NULL_REF, EPOCH } from '../model';
import { assertVmOperation, vmAllowedOperations } from './vm-rules';

const SESSION: Param = ['session ref', 'session_id'];
const VM: Param = ['VM ref', 'vm'];
const POWER_ERRORS = ['VM_BAD_POWER_STATE', 'OTHER_OPERATION_IN_PROGRESS', 'OPERATION_NOT_ALLOWED', 'VM_IS_TEMPLATE'];

function refreshVm(core: SimCore, ref: string): void {
  core.emitAllowedOperations('VM', ref);
}

/** Defines a VM operation whose check also guards its Async task. */
function vmOp(
  name: string,
  op: string,
  params: readonly Param[],
  errors: readonly string[],
  apply: (ctx: CallContext, vm: string, args: unknown[]) => unknown,
  check: (ctx: CallContext, vm: string, args: unknown[]) => void = ({ core }, vm) => void assertVmOperation(core, vm, op),
): MethodDef {
  return {
    name,
    params,
    errors,
    async: true,
    precheck: (ctx, args) => {
      check(ctx, args[1] as string, args);
      return { cls: 'VM', ref: args[1] as string, op };
    },
    run: (ctx, args) => {
      check(ctx, args[1] as string, args);
      const result = apply(ctx, args[1] as string, args);
      refreshVm(ctx.core, args[1] as string);
      return result;
    },
  };
}

function pickHost(core: SimCore, vm: XapiRecord): string {
  const affinity = vm.affinity as string;
  if (affinity !== NULL_REF && core.db.get('host', affinity)?.enabled) return affinity;
  let best = NULL_REF;
  let load = Infinity;
  for (const [ref, host] of core.db.records('host')) {
    if (!host.enabled) continue;
    const n = (host.resident_VMs as string[]).length;
    if (n < load) {
      best = ref;
      load = n;
    }
  }
  if (best === NULL_REF) throw new XapiFailure('NO_HOSTS_AVAILABLE');
  return best;
}

export function consoleLocation(core: SimCore, uuid: string): string {
  return `https://${core.opts.publicAddress()}/console?uuid=${uuid}`;
}

function createConsoles(core: SimCore, vmRef: string, vm: XapiRecord): void {
  const pv = vm.HVM_boot_policy === '';
  const protocols = pv ? ['vt100', 'rfb'] : ['rfb'];
  for (const protocol of protocols) {
    const uuid = crypto.randomUUID();
    core.db.add('console', { uuid, protocol, location: consoleLocation(core, uuid), VM: vmRef, other_config: {} });
  }
}

function destroyConsoles(core: SimCore, vm: XapiRecord): void {
  for (const c of (vm.consoles as string[]).slice()) if (core.db.get('console', c)) core.db.remove('console', c);
}

function setMetrics(core: SimCore, vm: XapiRecord, running: boolean): void {
  const m = vm.metrics as string;
  if (!core.db.get('VM_metrics', m)) return;
  const now = core.now();
  core.db.update('VM_metrics', m, running
    ? { start_time: now, last_updated: now, VCPUs_number: vm.VCPUs_at_startup, memory_actual: vm.memory_dynamic_max, state: [] }
    : { last_updated: now, VCPUs_number: 0, memory_actual: 0, VCPUs_utilisation: {} });
}

function setVbdsAttached(core: SimCore, vm: XapiRecord, attached: boolean): void {
  for (const vbd of vm.VBDs as string[]) {
    const r = core.db.get('VBD', vbd);
    if (r && r.currently_attached !== attached && !(r.empty && attached)) core.db.set('VBD', vbd, 'currently_attached', attached);
  }
  for (const vif of vm.VIFs as string[]) {
    const r = core.db.get('VIF', vif);
    if (r && r.currently_attached !== attached) core.db.set('VIF', vif, 'currently_attached', attached);
  }
}

function boot(core: SimCore, ref: string, host: string, paused: boolean): void {
  const vm = core.db.get('VM', ref)!;
  core.db.update('VM', ref, { power_state: paused ? 'Paused' : 'Running', resident_on: host, domid: core.nextDomid() });
  setVbdsAttached(core, vm, true);
  setMetrics(core, vm, true);
  if (!(vm.consoles as string[]).length) createConsoles(core, ref, vm);
}

function halt(core: SimCore, ref: string): void {
  const vm = core.db.get('VM', ref)!;
  const suspendVdi = vm.suspend_VDI as string;
  core.db.update('VM', ref, { power_state: 'Halted', resident_on: NULL_REF, domid: -1, suspend_VDI: NULL_REF });
  if (suspendVdi !== NULL_REF && core.db.get('VDI', suspendVdi)) core.db.remove('VDI', suspendVdi);
  setVbdsAttached(core, vm, false);
  setMetrics(core, vm, false);
  destroyConsoles(core, vm);
}

function hostParamCheck(op: string) {
  return ({ core }: CallContext, vm: string, args: unknown[]) => {
    assertVmOperation(core, vm, op);
    if (!core.db.get('host', args[2] as string)?.enabled) throw new XapiFailure('HOST_DISABLED', args[2] as string);
  };
}

/** A new VDI on the SR of `like`, e.g. for the memory image of a suspend. */
function createSuspendVdi(core: SimCore, vm: XapiRecord, label: string): string {
  const disk = firstDiskVdi(core, vm);
  const sr = disk ? (core.db.get('VDI', disk)!.SR as string) : (core.db.records('SR').keys().next().value as string);
  const size = Number(vm.memory_static_max) || 0;
  return core.db.add('VDI', {
    name_label: label,
    name_description: 'Suspend image',
    SR: sr,
    type: 'suspend',
    virtual_size: size,
    physical_utilisation: size,
    managed: true,
    sharable: false,
    read_only: false,
    allowed_operations: ['destroy'],
  });
}

function firstDiskVdi(core: SimCore, vm: XapiRecord): string | undefined {
  for (const vbd of vm.VBDs as string[]) {
    const r = core.db.get('VBD', vbd);
    if (r && r.type === 'Disk' && core.db.get('VDI', r.VDI as string)) return r.VDI as string;
  }
  return undefined;
}

export function registerVmMethods(core: SimCore): void {
  core.allowedOperations.set('VM', (c, ref) => vmAllowedOperations(c.db.get('VM', ref)!));

  core.register(
    vmOp('VM.start', 'start', [SESSION, VM, ['bool', 'start_paused'], ['bool', 'force']], ['VM_BAD_POWER_STATE', 'VM_IS_TEMPLATE', 'OTHER_OPERATION_IN_PROGRESS', 'OPERATION_NOT_ALLOWED', 'NO_HOSTS_AVAILABLE'], ({ core }, vm, args) => {
      boot(core, vm, pickHost(core, core.db.get('VM', vm)!), args[2] as boolean);
    }),
  );
  core.register(
    vmOp(
      'VM.start_on',
      'start_on',
      [SESSION, VM, ['host ref', 'host'], ['bool', 'start_paused'], ['bool', 'force']],
      ['VM_BAD_POWER_STATE', 'VM_IS_TEMPLATE', 'OTHER_OPERATION_IN_PROGRESS', 'OPERATION_NOT_ALLOWED', 'HOST_DISABLED'],
      ({ core }, vm, args) => boot(core, vm, args[2] as string, args[3] as boolean),
      hostParamCheck('start_on'),
    ),
  );
  for (const op of ['clean_shutdown', 'hard_shutdown'] as const) {
    core.register(vmOp(`VM.${op}`, op, [SESSION, VM], POWER_ERRORS, ({ core }, vm) => halt(core, vm)));
  }
  for (const op of ['clean_reboot', 'hard_reboot'] as const) {
    core.register(
      vmOp(`VM.${op}`, op, [SESSION, VM], POWER_ERRORS, ({ core }, vm) => {
        const r = core.db.get('VM', vm)!;
        core.db.update('VM', vm, { power_state: 'Running', domid: core.nextDomid() });
        setMetrics(core, r, true);
      }),
    );
  }
  core.register(
    vmOp('VM.suspend', 'suspend', [SESSION, VM], POWER_ERRORS, ({ core }, vm) => {
      const r = core.db.get('VM', vm)!;
      const suspendVdi = createSuspendVdi(core, r, `Suspend image for ${r.name_label}`);
      core.db.update('VM', vm, { power_state: 'Suspended', resident_on: NULL_REF, domid: -1, suspend_VDI: suspendVdi });
      setMetrics(core, r, false);
      destroyConsoles(core, r);
    }),
  );
  const resume = (ctx: CallContext, vm: string, host: string, paused: boolean) => {
    const suspendVdi = ctx.core.db.get('VM', vm)!.suspend_VDI as string;
    boot(ctx.core, vm, host, paused);
    ctx.core.db.set('VM', vm, 'suspend_VDI', NULL_REF);
    if (suspendVdi !== NULL_REF && ctx.core.db.get('VDI', suspendVdi)) ctx.core.db.remove('VDI', suspendVdi);
  };
  core.register(
    vmOp('VM.resume', 'resume', [SESSION, VM, ['bool', 'start_paused'], ['bool', 'force']], ['VM_BAD_POWER_STATE', 'OPERATION_NOT_ALLOWED', 'VM_IS_TEMPLATE'], (ctx, vm, args) =>
      resume(ctx, vm, pickHost(ctx.core, ctx.core.db.get('VM', vm)!), args[2] as boolean),
    ),
  );
  core.register(
    vmOp(
      'VM.resume_on',
      'resume_on',
      [SESSION, VM, ['host ref', 'host'], ['bool', 'start_paused'], ['bool', 'force']],
      ['VM_BAD_POWER_STATE', 'OPERATION_NOT_ALLOWED', 'VM_IS_TEMPLATE', 'HOST_DISABLED'],
      (ctx, vm, args) => resume(ctx, vm, args[2] as string, args[3] as boolean),
      hostParamCheck('resume_on'),
    ),
  );
  core.register(vmOp('VM.pause', 'pause', [SESSION, VM], POWER_ERRORS, ({ core }, vm) => core.db.set('VM', vm, 'power_state', 'Paused')));
  core.register(
    vmOp('VM.unpause', 'unpause', [SESSION, VM], ['VM_BAD_POWER_STATE', 'OPERATION_NOT_ALLOWED', 'VM_IS_TEMPLATE'], ({ core }, vm) =>
      core.db.set('VM', vm, 'power_state', 'Running'),
    ),
  );

  core.register(
    vmOp(
      'VM.destroy',
      'destroy',
      [SESSION, ['VM ref', 'self']],
      [],
      ({ core }, vm) => destroyVm(core, vm),
      ({ core }, vm) => {
        const r = core.db.get('VM', vm)!;
        if (r.is_control_domain || r.is_default_template) throw new XapiFailure('OPERATION_NOT_ALLOWED', 'destroy is not allowed on this VM');
        if (Object.keys(r.current_operations as object).length) throw new XapiFailure('OTHER_OPERATION_IN_PROGRESS', 'VM', vm);
        if (!r.is_a_snapshot && !r.is_a_template && r.power_state !== 'Halted') {
          throw new XapiFailure('VM_BAD_POWER_STATE', vm, 'halted', String(r.power_state).toLowerCase());
        }
      },
    ),
  );

  const snapshotCheck = (op: 'snapshot' | 'checkpoint') => ({ core }: CallContext, vm: string) => {
    const r = core.db.get('VM', vm)!;
    if (r.is_a_snapshot || r.is_a_template || r.is_control_domain) {
      throw new XapiFailure('OPERATION_NOT_ALLOWED', `${op} is not allowed on a template, snapshot or control domain`);
    }
    assertVmOperation(core, vm, op);
  };
  core.register({
    ...vmOp(
      'VM.snapshot',
      'snapshot',
      [SESSION, VM, ['string', 'new_name'], ['VDI ref set', 'ignore_vdis']],
      ['VM_BAD_POWER_STATE', 'OPERATION_NOT_ALLOWED'],
      ({ core }, vm, args) => takeSnapshot(core, vm, args[2] as string, false, (args[3] as string[] | undefined) ?? []),
      snapshotCheck('snapshot'),
    ),
    minArgs: 3, // ignore_vdis was added later with a default
  });
  core.register(
    vmOp(
      'VM.checkpoint',
      'checkpoint',
      [SESSION, VM, ['string', 'new_name']],
      ['VM_BAD_POWER_STATE', 'OPERATION_NOT_ALLOWED'],
      ({ core }, vm, args) => takeSnapshot(core, vm, args[2] as string, true, []),
      snapshotCheck('checkpoint'),
    ),
  );

  const revertCheck = ({ core }: CallContext, snap: string) => {
    const s = core.db.get('VM', snap)!;
    if (!s.is_a_snapshot) throw new XapiFailure('OPERATION_NOT_ALLOWED', 'revert needs a snapshot');
    const vm = s.snapshot_of as string;
    if (!core.db.get('VM', vm)) throw new XapiFailure('VM_REVERT_FAILED', snap, 'the snapshotted VM no longer exists');
    if (Object.keys(core.db.get('VM', vm)!.current_operations as object).length) throw new XapiFailure('OTHER_OPERATION_IN_PROGRESS', 'VM', vm);
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

/** VM.destroy: the VM, its VBDs, VIFs, consoles and metrics (not its VDIs). */
export function destroyVm(core: SimCore, ref: string): void {
  const vm = core.db.get('VM', ref)!;
  // children of a destroyed snapshot hang from its parent, keeping the tree whole
  for (const child of (vm.children as string[]).slice()) {
    if (core.db.get('VM', child)) core.db.set('VM', child, 'parent', vm.parent);
  }
  for (const vbd of (vm.VBDs as string[]).slice()) if (core.db.get('VBD', vbd)) core.db.remove('VBD', vbd);
  for (const vif of (vm.VIFs as string[]).slice()) if (core.db.get('VIF', vif)) core.db.remove('VIF', vif);
  destroyConsoles(core, vm);
  if (core.db.get('VM_metrics', vm.metrics as string)) core.db.remove('VM_metrics', vm.metrics as string);
  if (core.db.get('VM_guest_metrics', vm.guest_metrics as string)) core.db.remove('VM_guest_metrics', vm.guest_metrics as string);
  core.db.remove('VM', ref);
}

function copyRecord(core: SimCore, cls: string, ref: string): XapiRecord | undefined {
  const r = core.db.get(cls, ref);
  return r ? structuredClone(r) : undefined;
}

function cloneVdi(core: SimCore, vdi: string, asSnapshotOf: string | undefined): string {
  const src = copyRecord(core, 'VDI', vdi)!;
  const now = core.now();
  return core.db.add('VDI', {
    ...src,
    uuid: '',
    VBDs: [],
    snapshots: [],
    crash_dumps: [],
    current_operations: {},
    is_a_snapshot: asSnapshotOf !== undefined,
    snapshot_of: asSnapshotOf ?? NULL_REF,
    snapshot_time: asSnapshotOf ? now : EPOCH,
  });
}

/** VM.snapshot / VM.checkpoint, as Xapi_vm_clone.clone does for Disk_op_snapshot/checkpoint. */
function takeSnapshot(core: SimCore, vmRef: string, name: string, checkpoint: boolean, ignoreVdis: string[]): string {
  const vm = core.db.get('VM', vmRef)!;
  const power = vm.power_state as string;
  const suspended = checkpoint && (power === 'Running' || power === 'Suspended');
  let metrics = NULL_REF;
  const srcMetrics = copyRecord(core, 'VM_metrics', vm.metrics as string);
  if (srcMetrics) metrics = core.db.add('VM_metrics', { ...srcMetrics, uuid: '' });
  const src = structuredClone(vm);
  const snap = core.db.add('VM', {
    ...src,
    uuid: '',
    name_label: name,
    power_state: suspended ? 'Suspended' : 'Halted',
    allowed_operations: [],
    current_operations: {},
    is_a_template: true,
    is_default_template: false,
    is_a_snapshot: true,
    snapshot_of: vmRef,
    snapshot_time: core.now(),
    snapshot_info: { 'disk-snapshot-type': 'crash_consistent', 'power-state-at-snapshot': power },
    parent: vm.parent,
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
    appliance: NULL_REF,
    requires_reboot: false,
  });
  for (const vbd of vm.VBDs as string[]) {
    const r = copyRecord(core, 'VBD', vbd);
    if (!r) continue;
    let vdi = r.VDI as string;
    if (r.type === 'Disk' && core.db.get('VDI', vdi)) {
      if (ignoreVdis.includes(vdi)) continue;
      vdi = cloneVdi(core, vdi, vdi);
    }
    core.db.add('VBD', {
      ...r,
      uuid: '',
      VM: snap,
      VDI: vdi,
      currently_attached: false,
      current_operations: {},
      metrics: NULL_REF,
      other_config: r.type === 'Disk' ? { ...(r.other_config as object), owner: '' } : r.other_config,
    });
  }
  for (const vif of vm.VIFs as string[]) {
    const r = copyRecord(core, 'VIF', vif);
    if (r) core.db.add('VIF', { ...r, uuid: '', VM: snap, currently_attached: false, current_operations: {}, metrics: NULL_REF });
  }
  if (suspended) {
    core.db.set('VM', snap, 'suspend_VDI', createSuspendVdi(core, vm, `Suspend image for ${name}`));
  }
  core.db.set('VM', snap, 'allowed_operations', vmAllowedOperations(core.db.get('VM', snap)!));
  core.db.set('VM', vmRef, 'parent', snap);
  return snap;
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
