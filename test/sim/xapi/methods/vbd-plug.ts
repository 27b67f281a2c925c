// A running VM's disks hot-plugged and unplugged (Xapi_vbd.plug/unplug) and a disk grown
// while in use (Xapi_vdi.resize_online), issue 16. A VBD plugs only into a running VM
// (VM_BAD_POWER_STATE), once (DEVICE_ALREADY_ATTACHED); it unplugs only when attached
// (DEVICE_ALREADY_DETACHED) and when it may (VBD_NOT_UNPLUGGABLE, a VM's boot disk as
// installed). resize_online asks the SR's storage manager: only a driver whose SM record
// lists VDI_RESIZE_ONLINE among its features does it, else SR_OPERATION_NOT_SUPPORTED [sr].
import type { SimCore } from '../core';
import { XapiFailure } from '../failure';
import { account, srFree, VDI_OPERATIONS } from './devices';
import { assertVmRunning } from './networks';
import { SESSION } from './vm';

function vbdOf(core: SimCore, vbd: string) {
  return core.db.get('VBD', vbd)!;
}

/** Whether the SR's driver grows a disk in use: its SM record's features (or the older capabilities list). */
export function resizesOnline(core: SimCore, sr: string): boolean {
  const type = core.db.get('SR', sr)?.type;
  for (const sm of core.db.records('SM').values()) {
    if (sm.type !== type) continue;
    const features = (sm.features ?? {}) as Record<string, unknown>;
    return 'VDI_RESIZE_ONLINE' in features || ((sm.capabilities ?? []) as string[]).includes('VDI_RESIZE_ONLINE');
  }
  return false;
}

/**
 * A VDI's allowed_operations once a task on it is over (Xapi_vdi.update_allowed_operations): a disk a
 * running VM has attached neither shrinks nor grows offline nor goes away; resize_online where the SR's driver has it.
 */
function vdiAllowed(core: SimCore, vdi: string): string[] {
  const record = core.db.get('VDI', vdi)!;
  const attached = (record.VBDs as string[]).some((vbd) => core.db.get('VBD', vbd)?.currently_attached === true);
  const ops = attached ? VDI_OPERATIONS.filter((op) => op !== 'resize' && op !== 'destroy') : [...VDI_OPERATIONS];
  return attached && resizesOnline(core, String(record.SR)) ? [...ops, 'resize_online'] : ops;
}

export function registerVbdPlugMethods(core: SimCore): void {
  core.allowedOperations.set('VDI', vdiAllowed);
  core.register({
    name: 'VBD.plug',
    params: [SESSION, ['VBD ref', 'self']],
    errors: ['DEVICE_ALREADY_ATTACHED'],
    async: true,
    run: ({ core: c }, [, vbd]) => {
      const record = vbdOf(c, vbd as string);
      assertVmRunning(c, String(record.VM));
      if (record.currently_attached) throw new XapiFailure('DEVICE_ALREADY_ATTACHED', vbd as string);
      c.db.update('VBD', vbd as string, { currently_attached: true, device: `xvd${String.fromCharCode(97 + Number(record.userdevice))}`, allowed_operations: ['unplug', 'unplug_force'] });
      return undefined;
    },
  });
  core.register({
    name: 'VBD.unplug',
    params: [SESSION, ['VBD ref', 'self']],
    errors: ['DEVICE_DETACH_REJECTED', 'DEVICE_ALREADY_DETACHED', 'VBD_NOT_UNPLUGGABLE'],
    async: true,
    run: ({ core: c }, [, vbd]) => {
      const record = vbdOf(c, vbd as string);
      assertVmRunning(c, String(record.VM));
      if (!record.currently_attached) throw new XapiFailure('DEVICE_ALREADY_DETACHED', vbd as string);
      if (record.unpluggable === false) throw new XapiFailure('VBD_NOT_UNPLUGGABLE', vbd as string);
      c.db.update('VBD', vbd as string, { currently_attached: false, allowed_operations: ['attach', 'plug', 'destroy'] });
      return undefined;
    },
  });
  core.register({
    name: 'VDI.resize_online',
    params: [SESSION, ['VDI ref', 'vdi'], ['int', 'size']],
    errors: ['SR_OPERATION_NOT_SUPPORTED', 'SR_BACKEND_FAILURE_79', 'SR_BACKEND_FAILURE_44'],
    async: true,
    run: ({ core: c }, [, vdi, size]) => {
      const record = c.db.get('VDI', vdi as string)!;
      const sr = String(record.SR);
      if (!resizesOnline(c, sr)) throw new XapiFailure('SR_OPERATION_NOT_SUPPORTED', sr);
      const now = Number(record.virtual_size) || 0;
      const asked = Number(size);
      if (asked < now) throw new XapiFailure('SR_BACKEND_FAILURE_79', '', 'VDI Invalid size [opterr=shrinking not allowed]', '');
      if (asked - now > srFree(c, sr)) throw new XapiFailure('SR_BACKEND_FAILURE_44', '', 'There is insufficient space', '');
      c.db.update('VDI', vdi as string, { virtual_size: asked, physical_utilisation: (Number(record.physical_utilisation) || 0) + asked - now });
      account(c, sr, asked - now);
      return undefined;
    },
  });
}
