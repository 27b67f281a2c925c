// A standalone host as an installer leaves it, from a generated one-host pool: an
// unnamed pool (how xapi shows a host on its own), its disks on its own local
// storage (no shared SR), its management address the simulator's. Guests are
// halted unless asked otherwise: a host with a running guest cannot join a pool.
import type { XapiDatabase } from './database';
import { NULL_REF } from './model';
import { vmAllowedOperations } from './methods/vm-rules';

export interface StandaloneSpec {
  /** the host's name_label and hostname */
  name: string;
  /** the address the simulator listens on (what a pool master reaches it at) */
  address: string;
  /** keep the generated mix of power states (default: every guest halted) */
  keepRunning?: boolean;
  /** the host's software_version.product_version (default: the generated one) */
  productVersion?: string;
}

export function makeStandalone(db: XapiDatabase, spec: StandaloneSpec): void {
  const [hostRef, host] = db.records('host').entries().next().value as [string, Record<string, unknown>];
  const local = [...db.records('SR')].find(([, sr]) => !sr.shared && sr.content_type === 'user')?.[0];
  if (!local) throw new Error('makeStandalone needs a generated pool with localStorage');
  for (const [ref, sr] of [...db.records('SR')]) {
    if (!sr.shared) continue;
    for (const [vdi, record] of [...db.records('VDI')]) if (record.SR === ref) db.set('VDI', vdi, 'SR', local);
    for (const pbd of sr.PBDs as string[]) db.remove('PBD', pbd);
    db.remove('SR', ref);
  }
  for (const pool of db.records('pool').keys()) db.update('pool', pool, { name_label: '', default_SR: local, suspend_image_SR: local, crash_dump_SR: local });
  const software = { ...(host.software_version as Record<string, string>), ...(spec.productVersion ? { product_version: spec.productVersion } : {}) };
  db.update('host', hostRef, { name_label: spec.name, hostname: spec.name, address: spec.address, software_version: software });
  if (spec.keepRunning) return;
  for (const [ref, vm] of [...db.records('VM')]) {
    if (vm.is_control_domain || vm.is_a_snapshot || !['Running', 'Paused', 'Suspended'].includes(vm.power_state as string)) continue;
    for (const console of vm.consoles as string[]) db.remove('console', console);
    if (vm.suspend_VDI !== NULL_REF && db.get('VDI', vm.suspend_VDI as string)) db.remove('VDI', vm.suspend_VDI as string);
    db.update('VM', ref, { power_state: 'Halted', resident_on: NULL_REF, domid: -1, suspend_VDI: NULL_REF });
    db.set('VM', ref, 'allowed_operations', vmAllowedOperations(db.get('VM', ref)!));
  }
}
