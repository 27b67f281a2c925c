// Moving VMs: VM.pool_migrate inside the pool (resident_on and both hosts' memory
// change at the end of the task), VM.assert_can_boot_here, and VM.assert_can_migrate /
// VM.migrate_send with a dest map — within the pool (the map names one of our hosts)
// or to another pool (another simulator, reached with the map's address and session:
// cross-pool.ts). The checks are xapi's: the operation's power states, then
// assert_can_boot_here on the target.
import type { CallContext, MethodDef, Param, SimCore } from '../core';
import { exportVm, isDestMap, remoteCall, remoteImport, type DestMap } from '../cross-pool';
import { XapiFailure } from '../failure';
import { NULL_REF } from '../model';
import { assertCanBootHere, refreshHostMemory, vmFootprint } from './placement';
import { destroyVm, refreshVm, SESSION, VM, vmOp } from './vm';
import { assertVmOperation } from './vm-rules';

const HOST: Param = ['host ref', 'host'];
const BOOT_ERRORS = ['HOST_NOT_LIVE', 'HOST_DISABLED', 'VM_REQUIRES_SR', 'HOST_NOT_ENOUGH_FREE_MEMORY'];
const MIGRATE_PARAMS: readonly Param[] = [
  SESSION,
  VM,
  ['(string -> string) map', 'dest'],
  ['bool', 'live'],
  ['(VDI ref -> SR ref) map', 'vdi_map'],
  ['(VIF ref -> network ref) map', 'vif_map'],
  ['(string -> string) map', 'options'],
  ['(VGPU ref -> GPU_group ref) map', 'vgpu_map'],
];

/** The VM now runs on `host`: a new domain there, both hosts' free memory recounted. */
export function moveVm(core: SimCore, vm: string, host: string): void {
  const from = core.db.get('VM', vm)!.resident_on as string;
  core.db.update('VM', vm, { resident_on: host, domid: core.nextDomid() });
  if (from !== NULL_REF) refreshHostMemory(core, from);
  refreshHostMemory(core, host);
  refreshVm(core, vm);
}

function poolMigrateCheck({ core }: CallContext, vm: string, args: unknown[]): void {
  assertVmOperation(core, vm, 'pool_migrate');
  assertCanBootHere(core, vm, args[2] as string);
}

/** The dest map names a host of this pool (host.migrate_receive of our own master). */
function isIntraPool(core: SimCore, dest: DestMap): boolean {
  return new URL(dest.master).host === core.opts.publicAddress() && core.db.get('host', dest.host) !== undefined;
}

function destOf(args: unknown[]): DestMap {
  const dest = args[2] as Record<string, string>;
  if (!isDestMap(dest)) throw new XapiFailure('INVALID_VALUE', 'dest', JSON.stringify(dest));
  return dest;
}

/** Within the pool: the chosen SRs must be seen by the target host as well. */
function assertIntraPool(core: SimCore, vm: string, dest: DestMap, vdiMap: Record<string, string>): void {
  assertCanBootHere(core, vm, dest.host);
  for (const sr of Object.values(vdiMap)) {
    if (!core.db.get('SR', sr)) throw new XapiFailure('HANDLE_INVALID', 'SR', sr);
  }
}

/** Across pools: the destination host, SRs and networks exist there, the host is up, enabled and has room. */
async function assertCrossPool(core: SimCore, vm: string, dest: DestMap, vdiMap: Record<string, string>, vifMap: Record<string, string>): Promise<void> {
  const host = (await remoteCall(dest, 'host.get_record', dest.host)) as Record<string, unknown>;
  const live = await remoteCall(dest, 'host_metrics.get_live', host.metrics);
  if (live === false) throw new XapiFailure('HOST_NOT_LIVE');
  if (host.enabled !== true) throw new XapiFailure('HOST_DISABLED', dest.host);
  for (const sr of new Set(Object.values(vdiMap))) await remoteCall(dest, 'SR.get_uuid', sr);
  const record = core.db.get('VM', vm)!;
  for (const vif of record.VIFs as string[]) {
    const network = vifMap[vif];
    if (!network) throw new XapiFailure('VM_REQUIRES_NETWORK', vm, core.db.get('VIF', vif)!.network as string);
    await remoteCall(dest, 'network.get_uuid', network);
  }
  if (record.power_state === 'Running') {
    const available = Number(await remoteCall(dest, 'host.compute_free_memory', dest.host));
    const needed = vmFootprint(record);
    if (needed > available) throw new XapiFailure('HOST_NOT_ENOUGH_FREE_MEMORY', String(needed), String(available));
  }
}

async function assertCanMigrate(core: SimCore, vm: string, args: unknown[]): Promise<DestMap> {
  assertVmOperation(core, vm, 'migrate_send');
  const dest = destOf(args);
  const vdiMap = args[4] as Record<string, string>;
  if (isIntraPool(core, dest)) assertIntraPool(core, vm, dest, vdiMap);
  else await assertCrossPool(core, vm, dest, vdiMap, args[5] as Record<string, string>);
  return dest;
}

/** The source side once the destination has the VM: the VM, its snapshots and the disks that moved are gone. */
function removeMoved(core: SimCore, vm: string): void {
  const host = core.db.get('VM', vm)!.resident_on as string;
  const exported = exportVm(core, vm);
  const movedVdis = exported.flatMap((e) => [...e.vbds.flatMap((b) => (b.vdi ? [b.vdi.ref] : [])), ...(e.suspendVdi ? [e.suspendVdi.ref] : [])]);
  for (const e of exported.reverse()) destroyVm(core, e.ref);
  for (const vdi of new Set(movedVdis)) {
    const r = core.db.get('VDI', vdi);
    if (r && !(r.VBDs as string[]).length) core.db.remove('VDI', vdi);
  }
  if (host !== NULL_REF && core.db.get('host', host)) refreshHostMemory(core, host);
}

const migrateSend: MethodDef = {
  name: 'VM.migrate_send',
  params: MIGRATE_PARAMS,
  errors: ['VM_BAD_POWER_STATE', 'LICENCE_RESTRICTION', ...BOOT_ERRORS, 'VM_REQUIRES_NETWORK', 'INVALID_VALUE', 'CANNOT_CONTACT_HOST'],
  async: true,
  precheck: ({ core }, args) => {
    const vm = args[1] as string;
    assertVmOperation(core, vm, 'migrate_send');
    const dest = destOf(args);
    if (isIntraPool(core, dest)) assertIntraPool(core, vm, dest, args[4] as Record<string, string>);
    return { cls: 'VM', ref: vm, op: 'migrate_send' };
  },
  run: async ({ core }, args) => {
    const vm = args[1] as string;
    const dest = await assertCanMigrate(core, vm, args);
    const vdiMap = args[4] as Record<string, string>;
    if (isIntraPool(core, dest)) {
      // storage motion inside the pool: the disks change SR, the VM its host
      for (const [vdi, sr] of Object.entries(vdiMap)) if (core.db.get('VDI', vdi)) core.db.set('VDI', vdi, 'SR', sr);
      if (core.db.get('VM', vm)!.power_state === 'Running') moveVm(core, vm, dest.host);
      return vm;
    }
    const remoteVm = await remoteImport(dest, { host: dest.host, vms: exportVm(core, vm), vdiMap, vifMap: args[5] as Record<string, string> });
    removeMoved(core, vm);
    return remoteVm;
  },
};

export function registerVmMigrateMethods(core: SimCore): void {
  core.register(
    vmOp(
      'VM.pool_migrate',
      'pool_migrate',
      [SESSION, VM, HOST, ['(string -> string) map', 'options']],
      ['VM_BAD_POWER_STATE', 'OTHER_OPERATION_IN_PROGRESS', 'VM_IS_TEMPLATE', 'OPERATION_NOT_ALLOWED', ...BOOT_ERRORS],
      ({ core: c }, vm, args) => moveVm(c, vm, args[2] as string),
      poolMigrateCheck,
    ),
  );
  core.register({
    name: 'VM.assert_can_boot_here',
    params: [SESSION, ['VM ref', 'self'], HOST],
    errors: BOOT_ERRORS,
    async: true,
    run: ({ core: c }, args) => {
      assertCanBootHere(c, args[1] as string, args[2] as string);
      return undefined;
    },
  });
  core.register({
    name: 'VM.assert_can_migrate',
    params: MIGRATE_PARAMS,
    errors: ['LICENCE_RESTRICTION', 'VM_BAD_POWER_STATE', 'OTHER_OPERATION_IN_PROGRESS', ...BOOT_ERRORS, 'VM_REQUIRES_NETWORK', 'INVALID_VALUE', 'CANNOT_CONTACT_HOST'],
    async: true,
    run: async ({ core: c }, args) => {
      await assertCanMigrate(c, args[1] as string, args);
      return undefined;
    },
  });
  core.register(migrateSend);
  core.register({
    name: 'VM.assert_operation_valid',
    params: [SESSION, ['VM ref', 'self'], ['enum vm_operations', 'op']],
    errors: ['VM_BAD_POWER_STATE', 'OTHER_OPERATION_IN_PROGRESS', 'VM_IS_TEMPLATE', 'OPERATION_NOT_ALLOWED'],
    async: true,
    run: ({ core: c }, args) => {
      assertVmOperation(c, args[1] as string, args[2] as string);
      return undefined;
    },
  });
}
