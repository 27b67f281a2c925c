// SR.scan as xapi's storage manager leaves it (issue 16): the SR's VDIs are looked at
// again and its physical_utilisation (the space its VDIs take) and virtual_allocation
// (the sizes they promise) follow them. An SR that no host has plugged cannot be
// scanned: xapi answers SR_HAS_NO_PBDS (Xapi_sr.scan asks the SM through a plugged PBD).
import type { SimCore } from '../core';
import { XapiFailure } from '../failure';
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
}
