// A VM's devices and their disks as xapi makes them (Xapi_vdi.create,
// Xapi_vbd.create/destroy/insert/eject, Xapi_vif.create/destroy): new objects
// start unplugged (a running VM takes them with VBD.plug / VIF.plug), a CD drive
// is read-only and may be empty, disk space is taken from the SR (SR_FULL
// [requested, available] when it has not enough).
import type { SimCore } from '../core';
import type { XapiRecord } from '../database';
import { XapiFailure } from '../failure';
import { NULL_REF } from '../model';
import { liveRef, recordArg } from './records-in';
import { SESSION } from './vm';

export const VDI_OPERATIONS = ['clone', 'copy', 'resize', 'snapshot', 'destroy'];

/** Free space of an SR as clients compute it (physical_size − physical_utilisation). */
export function srFree(core: SimCore, sr: string): number {
  const r = core.db.get('SR', sr)!;
  return Math.max(0, (Number(r.physical_size) || 0) - (Number(r.physical_utilisation) || 0));
}

/** Checks that the SRs can take these new disks (bytes per SR), before anything is made. */
export function assertRoom(core: SimCore, need: Map<string, number>): void {
  for (const [sr, bytes] of need) {
    const free = srFree(core, sr);
    if (bytes > free) throw new XapiFailure('SR_FULL', String(bytes), String(free));
  }
}

/** Takes (or, negative, gives back) space on an SR as its VDIs come and go. */
export function account(core: SimCore, sr: string, bytes: number): void {
  const r = core.db.get('SR', sr);
  if (!r || !bytes) return;
  core.db.update('SR', sr, {
    physical_utilisation: Math.max(0, (Number(r.physical_utilisation) || 0) + bytes),
    virtual_allocation: Math.max(0, (Number(r.virtual_allocation) || 0) + bytes),
  });
}

/** A new empty disk on an SR (fully allocated, as on LVM). */
export function createVdi(core: SimCore, fields: XapiRecord): string {
  const sr = liveRef(core, 'SR', fields.SR);
  const srRec = core.db.get('SR', sr)!;
  if (srRec.content_type === 'iso' || !(srRec.allowed_operations as string[]).includes('vdi_create')) {
    throw new XapiFailure('OPERATION_NOT_ALLOWED', `The SR ${srRec.uuid} does not allow vdi_create`);
  }
  const size = Number(fields.virtual_size) || 0;
  if (size < 0) throw new XapiFailure('INVALID_VALUE', 'virtual_size', String(size));
  assertRoom(core, new Map([[sr, size]]));
  const location = crypto.randomUUID();
  const ref = core.db.add('VDI', {
    type: 'user',
    ...fields,
    uuid: location,
    location,
    virtual_size: size,
    physical_utilisation: size,
    managed: true,
    missing: false,
    is_a_snapshot: false,
    snapshot_of: NULL_REF,
    allowed_operations: VDI_OPERATIONS,
    current_operations: {},
  });
  account(core, sr, size);
  return ref;
}

function userdevicesOf(core: SimCore, vm: string, cls: 'VBD' | 'VIF'): string[] {
  const set = core.db.get('VM', vm)![cls === 'VBD' ? 'VBDs' : 'VIFs'] as string[];
  return set.map((ref) => core.db.get(cls, ref)).filter(Boolean).map((r) => String(cls === 'VBD' ? r!.userdevice : r!.device));
}

/** VBD.create: 'autodetect' takes the lowest free position; a CD is read-only and may be empty. */
export function createVbd(core: SimCore, fields: XapiRecord): string {
  const vm = liveRef(core, 'VM', fields.VM);
  const empty = fields.empty === true;
  const vdi = empty ? NULL_REF : liveRef(core, 'VDI', fields.VDI);
  if (fields.type === 'CD' && fields.mode === 'RW') throw new XapiFailure('VBD_CDS_MUST_BE_READONLY');
  if (empty && fields.type !== 'CD') throw new XapiFailure('VBD_NOT_REMOVABLE_MEDIA', NULL_REF);
  const taken = userdevicesOf(core, vm, 'VBD');
  let userdevice = String(fields.userdevice ?? 'autodetect');
  if (userdevice === 'autodetect') {
    let n = 0;
    while (taken.includes(String(n))) n++;
    userdevice = String(n);
  } else if (taken.includes(userdevice)) {
    throw new XapiFailure('DEVICE_ALREADY_EXISTS', userdevice);
  }
  return core.db.add('VBD', {
    ...fields,
    VM: vm,
    VDI: vdi,
    userdevice,
    empty,
    device: '',
    currently_attached: false,
    allowed_operations: fields.type === 'CD' ? ['attach', empty ? 'insert' : 'eject', 'unplug', 'destroy'] : ['attach', 'unplug', 'destroy'],
    current_operations: {},
  });
}

function vbdOf(core: SimCore, vbd: string): XapiRecord {
  return core.db.get('VBD', vbd)!;
}

function assertRemovable(core: SimCore, vbd: string): void {
  if (vbdOf(core, vbd).type !== 'CD') throw new XapiFailure('VBD_NOT_REMOVABLE_MEDIA', vbd);
}

/** A VIF's MAC as xapi derives one when the client leaves it empty (from the VM's mac_seed). */
function macFor(vm: XapiRecord, device: string): string {
  const seed = String((vm.other_config as Record<string, unknown>).mac_seed ?? vm.uuid);
  let h = 0;
  for (const c of `${seed}/${device}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const bytes = [0x02, (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, Number(device) & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function registerDeviceMethods(core: SimCore): void {
  core.register({
    name: 'VDI.create',
    params: [SESSION, ['VDI record', 'args']],
    errors: ['SR_FULL', 'INVALID_VALUE'],
    async: true,
    run: ({ core: c }, [, args]) => createVdi(c, recordArg(c, 'VDI', args)),
  });

  core.register({
    name: 'VBD.create',
    params: [SESSION, ['VBD record', 'args']],
    errors: ['DEVICE_ALREADY_EXISTS', 'VBD_CDS_MUST_BE_READONLY', 'VBD_NOT_REMOVABLE_MEDIA'],
    async: true,
    run: ({ core: c }, [, args]) => createVbd(c, recordArg(c, 'VBD', args)),
  });
  core.register({
    name: 'VBD.destroy',
    params: [SESSION, ['VBD ref', 'self']],
    errors: [],
    async: true,
    run: ({ core: c }, [, vbd]) => {
      if (vbdOf(c, vbd as string).currently_attached) throw new XapiFailure('OPERATION_NOT_ALLOWED', 'VBD is currently attached');
      c.db.remove('VBD', vbd as string);
      return undefined;
    },
  });
  core.register({
    name: 'VBD.insert',
    params: [SESSION, ['VBD ref', 'vbd'], ['VDI ref', 'vdi']],
    errors: ['VBD_NOT_REMOVABLE_MEDIA', 'VBD_NOT_EMPTY'],
    async: true,
    run: ({ core: c }, [, vbd, vdi]) => {
      assertRemovable(c, vbd as string);
      if (!vbdOf(c, vbd as string).empty) throw new XapiFailure('VBD_NOT_EMPTY', vbd as string);
      c.db.update('VBD', vbd as string, { VDI: vdi, empty: false, allowed_operations: ['attach', 'eject', 'unplug', 'destroy'] });
      return undefined;
    },
  });
  core.register({
    name: 'VBD.eject',
    params: [SESSION, ['VBD ref', 'vbd']],
    errors: ['VBD_NOT_REMOVABLE_MEDIA', 'VBD_IS_EMPTY'],
    async: true,
    run: ({ core: c }, [, vbd]) => {
      assertRemovable(c, vbd as string);
      if (vbdOf(c, vbd as string).empty) throw new XapiFailure('VBD_IS_EMPTY', vbd as string);
      c.db.update('VBD', vbd as string, { VDI: NULL_REF, empty: true, allowed_operations: ['attach', 'insert', 'unplug', 'destroy'] });
      return undefined;
    },
  });

  core.register({
    name: 'VIF.create',
    params: [SESSION, ['VIF record', 'args']],
    errors: ['DEVICE_ALREADY_EXISTS'],
    async: true,
    run: ({ core: c }, [, args]) => {
      const fields = recordArg(c, 'VIF', args);
      const vm = liveRef(c, 'VM', fields.VM);
      const network = liveRef(c, 'network', fields.network);
      const device = String(fields.device ?? '');
      if (userdevicesOf(c, vm, 'VIF').includes(device)) throw new XapiFailure('DEVICE_ALREADY_EXISTS', device);
      const mac = String(fields.MAC ?? '') || macFor(c.db.get('VM', vm)!, device);
      return c.db.add('VIF', {
        MTU: 1500,
        ...fields,
        VM: vm,
        network,
        device,
        MAC: mac,
        MAC_autogenerated: !fields.MAC,
        currently_attached: false,
        allowed_operations: ['attach', 'unplug'],
        current_operations: {},
      });
    },
  });
  core.register({
    name: 'VIF.destroy',
    params: [SESSION, ['VIF ref', 'self']],
    errors: [],
    async: true,
    run: ({ core: c }, [, vif]) => {
      if (c.db.get('VIF', vif as string)!.currently_attached) throw new XapiFailure('OPERATION_NOT_ALLOWED', 'VIF is currently attached');
      c.db.remove('VIF', vif as string);
      return undefined;
    },
  });
}
