// VM lifecycle (start, shutdown, reboot, suspend/resume, pause/unpause,
// destroy), with the record changes xapi makes: power_state, resident_on,
// domid, consoles, VM_metrics, suspend_VDI. Snapshots are in vm-snapshots.ts,
// clones in vm-clone.ts.
import type { CallContext, MethodDef, Param, SimCore } from '../core';
import type { XapiRecord } from '../database';
import { XapiFailure } from '../failure';
import { NULL_REF } from '../model';
import { hostIsLive, refreshHostMemory } from './placement';
import { assertVmOperation, vmAllowedOperations } from './vm-rules';

export const SESSION: Param = ['session ref', 'session_id'];
export const VM: Param = ['VM ref', 'vm'];
const POWER_ERRORS = ['VM_BAD_POWER_STATE', 'OTHER_OPERATION_IN_PROGRESS', 'OPERATION_NOT_ALLOWED', 'VM_IS_TEMPLATE'];

export function refreshVm(core: SimCore, ref: string): void {
  core.emitAllowedOperations('VM', ref);
}

/** Defines a VM operation whose check also guards its Async task. */
export function vmOp(
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

export function pickHost(core: SimCore, vm: XapiRecord): string {
  const affinity = vm.affinity as string;
  if (affinity !== NULL_REF && core.db.get('host', affinity)?.enabled && hostIsLive(core, affinity)) return affinity;
  let best = NULL_REF;
  let load = Infinity;
  for (const [ref, host] of core.db.records('host')) {
    if (!host.enabled || !hostIsLive(core, ref)) continue;
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

export function createConsoles(core: SimCore, vmRef: string, vm: XapiRecord): void {
  const pv = vm.HVM_boot_policy === '';
  const protocols = pv ? ['vt100', 'rfb'] : ['rfb'];
  for (const protocol of protocols) {
    const uuid = crypto.randomUUID();
    core.db.add('console', { uuid, protocol, location: consoleLocation(core, uuid), VM: vmRef, other_config: {} });
  }
}

export function destroyConsoles(core: SimCore, vm: XapiRecord): void {
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
  refreshHostMemory(core, host);
  setVbdsAttached(core, vm, true);
  setMetrics(core, vm, true);
  if (!(vm.consoles as string[]).length) createConsoles(core, ref, vm);
}

export function halt(core: SimCore, ref: string): void {
  const vm = core.db.get('VM', ref)!;
  const suspendVdi = vm.suspend_VDI as string;
  const host = vm.resident_on as string;
  core.db.update('VM', ref, { power_state: 'Halted', resident_on: NULL_REF, domid: -1, suspend_VDI: NULL_REF });
  if (host !== NULL_REF && core.db.get('host', host)) refreshHostMemory(core, host);
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
export function createSuspendVdi(core: SimCore, vm: XapiRecord, label: string): string {
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
      const host = r.resident_on as string;
      core.db.update('VM', vm, { power_state: 'Suspended', resident_on: NULL_REF, domid: -1, suspend_VDI: suspendVdi });
      if (host !== NULL_REF && core.db.get('host', host)) refreshHostMemory(core, host);
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
