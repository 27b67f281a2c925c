// The records a host carries into a pool it joins and takes out when it is ejected.
// Joining: xapi's pool.join recreates the joining host on the master with internal
// calls (host, host_cpu, PIFs by network bridge, its local SRs with PBDs and VDIs,
// its VMs with their devices); here they travel in one request and keep their
// uuids, with every reference between them translated. Ejecting: the host, its
// control domain and devices leave the master's database, and so do the SRs only
// it could reach, with their disks and the VMs that had a disk there (XenCenter
// warns of exactly that).
import type { SimCore } from './core';
import type { XapiRecord } from './database';
import { NULL_REF } from './model';

export interface MovedRecord {
  cls: string;
  ref: string;
  record: XapiRecord;
}

export interface MemberRecords {
  host: string;
  /** in an order where every record comes after those it points to */
  items: MovedRecord[];
  /** the joining host's networks (ref → bridge): the master's network with the same bridge takes their place */
  bridges: Record<string, string>;
}

function isDefaultTemplate(vm: XapiRecord): boolean {
  return vm.is_default_template === true || (vm.other_config as Record<string, string> | undefined)?.default_template === 'true';
}

/** The guests that move with a joining host: every VM, template and snapshot but the control domains and the built-in templates. */
export function guestsOf(core: SimCore): string[] {
  return [...core.db.records('VM')].filter(([, vm]) => !vm.is_control_domain && !isDefaultTemplate(vm)).map(([ref]) => ref);
}

/** The joining host and what it owns, ready for the master. */
export function exportMember(core: SimCore, host: string): MemberRecords {
  const db = core.db;
  const items: MovedRecord[] = [];
  const take = (cls: string, ref: string) => {
    const record = db.get(cls, ref);
    if (record) items.push({ cls, ref, record: structuredClone(record) });
  };
  const hostRecord = db.get('host', host)!;
  take('host_metrics', hostRecord.metrics as string);
  take('host', host);
  for (const [ref, cpu] of db.records('host_cpu')) if (cpu.host === host) take('host_cpu', ref);
  for (const pif of hostRecord.PIFs as string[]) take('PIF', pif);
  const srs = [...db.records('SR').keys()];
  for (const sr of srs) take('SR', sr);
  for (const [ref, pbd] of db.records('PBD')) if (pbd.host === host) take('PBD', ref);
  for (const [ref, vdi] of db.records('VDI')) if (srs.includes(vdi.SR as string)) take('VDI', ref);
  const dom0 = hostRecord.control_domain as string;
  const guests = guestsOf(core);
  // a VM before its snapshots, so snapshot_of and parent point at what exists already
  const vms = [dom0, ...guests.filter((vm) => !db.get('VM', vm)!.is_a_snapshot), ...guests.filter((vm) => db.get('VM', vm)!.is_a_snapshot)];
  for (const vm of vms) take('VM_metrics', db.get('VM', vm)?.metrics as string);
  for (const vm of vms) take('VM', vm);
  for (const vm of vms) {
    const record = db.get('VM', vm);
    if (!record) continue;
    for (const vbd of record.VBDs as string[]) take('VBD', vbd);
    for (const vif of record.VIFs as string[]) take('VIF', vif);
    for (const console of record.consoles as string[]) take('console', console);
  }
  const bridges: Record<string, string> = {};
  for (const [ref, network] of db.records('network')) bridges[ref] = network.bridge as string;
  return { host, items, bridges };
}

/** The master's side: the records are created anew (same uuids), references translated. Returns the host's new ref. */
export function importMember(core: SimCore, moved: MemberRecords): string {
  const db = core.db;
  const byBridge = new Map([...db.records('network')].map(([ref, n]) => [n.bridge as string, ref]));
  const fallbackNetwork = db.records('network').keys().next().value as string | undefined;
  const refMap = new Map<string, string>();
  const translate = (ref: unknown): string => {
    if (typeof ref !== 'string') return NULL_REF;
    const mapped = refMap.get(ref);
    if (mapped) return mapped;
    if (Object.hasOwn(moved.bridges, ref)) return byBridge.get(moved.bridges[ref]!) ?? fallbackNetwork ?? NULL_REF;
    return NULL_REF;
  };
  for (const { cls, ref, record } of moved.items) {
    const fields: XapiRecord = { current_operations: {} };
    for (const f of core.model.cls(cls).fields) {
      const value = record[f.name];
      if (value === undefined || f.name === 'current_operations') continue;
      if (f.typeText.endsWith(' ref')) fields[f.name] = translate(value);
      else if (f.typeText.endsWith(' ref set')) fields[f.name] = [];
      else if (f.typeText.includes(' ref') && f.type.kind === 'map') fields[f.name] = {};
      else fields[f.name] = structuredClone(value);
    }
    refMap.set(ref, db.add(cls, fields));
  }
  // fields pointing forward (a host's control domain, a VM's suspend image) once everything exists
  for (const { cls, ref, record } of moved.items) {
    const patch: XapiRecord = {};
    for (const f of core.model.cls(cls).fields) {
      if (!f.typeText.endsWith(' ref') || typeof record[f.name] !== 'string' || record[f.name] === NULL_REF) continue;
      const now = db.get(cls, refMap.get(ref)!)![f.name];
      if (now === NULL_REF && refMap.has(record[f.name] as string)) patch[f.name] = refMap.get(record[f.name] as string);
    }
    if (Object.keys(patch).length) db.update(cls, refMap.get(ref)!, patch);
  }
  return refMap.get(moved.host)!;
}

/** Removes a VM with its devices and metrics (its disks stay unless listed elsewhere). */
function removeVm(core: SimCore, vm: string): void {
  const db = core.db;
  const record = db.get('VM', vm);
  if (!record) return;
  for (const cls of ['VBD', 'VIF', 'console'] as const) {
    const field = cls === 'console' ? 'consoles' : `${cls}s`;
    for (const ref of record[field] as string[]) if (db.get(cls, ref)) db.remove(cls, ref);
  }
  db.remove('VM', vm);
  if (db.get('VM_metrics', record.metrics as string)) db.remove('VM_metrics', record.metrics as string);
}

/** What leaves the joining host's own database once it is a member: its guests, storage and their disks now live on the master. */
export function forgetMoved(core: SimCore): void {
  const db = core.db;
  for (const vm of guestsOf(core)) removeVm(core, vm);
  for (const cls of ['VDI', 'PBD', 'SR'] as const) for (const ref of [...db.records(cls).keys()]) db.remove(cls, ref);
}

/**
 * The master forgets an ejected host: its PBDs, the SRs no other host reaches (with their
 * disks and every VM that had a disk there), its control domain, CPUs, PIFs and metrics.
 */
export function removeMember(core: SimCore, host: string): void {
  const db = core.db;
  const record = db.get('host', host)!;
  const pbds = [...db.records('PBD')].filter(([, p]) => p.host === host).map(([ref]) => ref);
  const srs = new Set(pbds.map((p) => db.get('PBD', p)!.SR as string));
  for (const pbd of pbds) db.remove('PBD', pbd);
  const lostSrs = [...srs].filter((sr) => db.get('SR', sr) && (db.get('SR', sr)!.PBDs as string[]).length === 0);
  const lostVdis = new Set([...db.records('VDI')].filter(([, v]) => lostSrs.includes(v.SR as string)).map(([ref]) => ref));
  const lostVms = new Set<string>();
  for (const [, vbd] of db.records('VBD')) if (lostVdis.has(vbd.VDI as string) && vbd.type !== 'CD') lostVms.add(vbd.VM as string);
  for (const vm of [...lostVms]) for (const snap of (db.get('VM', vm)?.snapshots as string[] | undefined) ?? []) lostVms.add(snap);
  lostVms.add(record.control_domain as string);
  for (const vm of lostVms) removeVm(core, vm);
  for (const [ref, vbd] of [...db.records('VBD')]) if (lostVdis.has(vbd.VDI as string)) db.update('VBD', ref, { VDI: NULL_REF, empty: true });
  for (const vdi of lostVdis) db.remove('VDI', vdi);
  for (const sr of lostSrs) db.remove('SR', sr);
  for (const [ref, vm] of [...db.records('VM')]) if (vm.affinity === host) db.set('VM', ref, 'affinity', NULL_REF);
  for (const [ref, cpu] of [...db.records('host_cpu')]) if (cpu.host === host) db.remove('host_cpu', ref);
  for (const pif of record.PIFs as string[]) if (db.get('PIF', pif)) db.remove('PIF', pif);
  db.remove('host', host);
  if (db.get('host_metrics', record.metrics as string)) db.remove('host_metrics', record.metrics as string);
}

/** An ejected host comes back from its reboot as a fresh standalone host: an unnamed pool, new empty local storage. */
export function resetStandalone(core: SimCore, host: string): void {
  const db = core.db;
  const sr = db.add('SR', {
    name_label: 'Local storage',
    type: 'lvm',
    content_type: 'user',
    shared: false,
    physical_size: 900 * 1024 ** 3,
    allowed_operations: ['vdi_create', 'vdi_snapshot', 'vdi_clone', 'vdi_destroy', 'vdi_resize', 'scan', 'plug', 'unplug', 'update'],
    other_config: { 'i18n-key': 'local-storage' },
  });
  db.add('PBD', { host, SR: sr, device_config: { device: '/dev/sda3' }, currently_attached: true });
  for (const pool of db.records('pool').keys()) db.update('pool', pool, { name_label: '', master: host, default_SR: sr, suspend_image_SR: sr, crash_dump_SR: sr });
}
