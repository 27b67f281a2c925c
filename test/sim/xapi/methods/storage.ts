// SR.scan as xapi's storage manager leaves it (issue 16): the SR's VDIs are looked at
// again and its physical_utilisation (the space its VDIs take) and virtual_allocation
// (the sizes they promise) follow them. An SR that no host has plugged cannot be
// scanned: xapi answers SR_HAS_NO_PBDS (Xapi_sr.scan asks the SM through a plugged PBD).
import type { SimCore } from '../core';
import { XapiFailure } from '../failure';
import { NULL_REF } from '../model';
import { account, assertRoom } from './devices';
import { copyVdi } from './vm-copies';
import { SESSION } from './vm';

function plugged(core: SimCore, sr: string): boolean {
  for (const pbd of core.db.records('PBD').values()) if (pbd.SR === sr && pbd.currently_attached === true) return true;
  return false;
}

/**
 * Recounts the SR from its VDIs (ISO libraries keep what the backend reported). A VDI that
 * reports no utilisation of its own (older dumps, thick LVM) takes its whole virtual size.
 */
export function rescanSr(core: SimCore, sr: string): void {
  const record = core.db.get('SR', sr)!;
  if (record.content_type === 'iso') return;
  let used = 0;
  let promised = 0;
  for (const vdi of core.db.records('VDI').values()) {
    if (vdi.SR !== sr) continue;
    const size = Number(vdi.virtual_size) || 0;
    used += Number(vdi.physical_utilisation) || size;
    promised += size;
  }
  core.db.update('SR', sr, { physical_utilisation: used, virtual_allocation: promised });
}

export function registerStorageMethods(core: SimCore): void {
  core.register({
    name: 'SR.scan',
    params: [SESSION, ['SR ref', 'sr']],
    errors: ['SR_HAS_NO_PBDS'],
    async: true,
    precheck: ({ core: c }, [, sr]) => {
      if (!plugged(c, sr as string)) throw new XapiFailure('SR_HAS_NO_PBDS', sr as string);
      return { cls: 'SR', ref: sr as string, op: 'scan' };
    },
    run: ({ core: c }, [, sr]) => {
      if (!plugged(c, sr as string)) throw new XapiFailure('SR_HAS_NO_PBDS', sr as string);
      rescanSr(c, sr as string);
      return undefined;
    },
  });

  // VDI.copy (Xapi_vdi.copy): a full copy on `sr`, or the blocks written into an existing
  // VDI `into_vdi` that must be at least as big (VDI_TOO_SMALL [into, needed])
  core.register({
    name: 'VDI.copy',
    params: [SESSION, ['VDI ref', 'vdi'], ['SR ref', 'sr'], ['VDI ref', 'base_vdi'], ['VDI ref', 'into_vdi']],
    minArgs: 3,
    errors: ['VDI_TOO_SMALL', 'SR_FULL'],
    async: true,
    uncheckedRefs: ['base_vdi', 'into_vdi'],
    run: ({ core: c }, [, vdi, sr, , into]) => {
      const size = Number(c.db.get('VDI', vdi as string)!.virtual_size) || 0;
      if (typeof into === 'string' && into !== NULL_REF && c.db.get('VDI', into)) {
        const room = Number(c.db.get('VDI', into)!.virtual_size) || 0;
        if (room < size) throw new XapiFailure('VDI_TOO_SMALL', into, String(size));
        return into;
      }
      assertRoom(c, new Map([[sr as string, size]]));
      return copyVdi(c, vdi as string, sr as string);
    },
  });
  // VDI.pool_migrate (Xapi_vdi.pool_migrate → storage motion of the running VM): only a disk
  // attached to a running VM moves (VDI_NEEDS_VM_FOR_MIGRATE [vdi]); its VBD then points at
  // the new VDI on `sr` and the old one is gone
  core.register({
    name: 'VDI.pool_migrate',
    params: [SESSION, ['VDI ref', 'vdi'], ['SR ref', 'sr'], ['(string -> string) map', 'options']],
    errors: ['VDI_NEEDS_VM_FOR_MIGRATE', 'SR_FULL'],
    async: true,
    run: ({ core: c }, [, vdi, sr]) => {
      const record = c.db.get('VDI', vdi as string)!;
      const vbds = (record.VBDs as string[]).map((ref) => [ref, c.db.get('VBD', ref)!] as const);
      const running = vbds.some(([, vbd]) => vbd.currently_attached === true && c.db.get('VM', vbd.VM as string)?.power_state === 'Running');
      if (!running) throw new XapiFailure('VDI_NEEDS_VM_FOR_MIGRATE', vdi as string);
      assertRoom(c, new Map([[sr as string, Number(record.virtual_size) || 0]]));
      const moved = copyVdi(c, vdi as string, sr as string);
      for (const [ref] of vbds) c.db.update('VBD', ref, { VDI: moved });
      c.db.remove('VDI', vdi as string);
      account(c, record.SR as string, -(Number(record.physical_utilisation) || Number(record.virtual_size) || 0));
      return moved;
    },
  });
}
