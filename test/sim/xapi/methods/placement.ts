// Whether a VM can run on a host, as xapi's Xapi_vm_helpers.assert_can_boot_here
// decides it (host live and enabled, every SR of the VM's disks and CDs plugged on
// the host, enough free memory), and the host memory accounting behind it:
// free = host_metrics.memory_total − host.memory_overhead − the footprint of every
// resident domain (control domain included).
import type { SimCore } from '../core';
import type { XapiRecord } from '../database';
import { XapiFailure } from '../failure';
import { NULL_REF } from '../model';
import { assertVmOperation } from './vm-rules';

/** A domain's memory on its host: its static maximum (the simulator does not balloon). */
export function vmFootprint(vm: XapiRecord): number {
  return Number(vm.memory_static_max) || 0;
}

export function hostFreeMemory(core: SimCore, hostRef: string): number {
  const host = core.db.get('host', hostRef)!;
  const metrics = core.db.get('host_metrics', host.metrics as string);
  let free = (Number(metrics?.memory_total) || 0) - (Number(host.memory_overhead) || 0);
  for (const vm of host.resident_VMs as string[]) {
    const r = core.db.get('VM', vm);
    if (r) free -= vmFootprint(r);
  }
  return Math.max(0, free);
}

export function hostIsLive(core: SimCore, hostRef: string): boolean {
  const metrics = core.db.get('host_metrics', core.db.get('host', hostRef)!.metrics as string);
  // a host without metrics is taken as live, like xapi's is_host_alive
  return metrics ? metrics.live === true : true;
}

/** Keeps host_metrics.memory_free in step with the resident domains (an event for clients). */
export function refreshHostMemory(core: SimCore, hostRef: string): void {
  const host = core.db.get('host', hostRef);
  if (!host || !core.db.get('host_metrics', host.metrics as string)) return;
  const free = hostFreeMemory(core, hostRef);
  if (core.db.get('host_metrics', host.metrics as string)!.memory_free !== free) core.db.set('host_metrics', host.metrics as string, 'memory_free', free);
}

/** The SRs of the VM's disks and (non-empty) CD drives. */
export function srsOfVm(core: SimCore, vmRef: string): string[] {
  const out: string[] = [];
  for (const vbd of core.db.get('VM', vmRef)!.VBDs as string[]) {
    const r = core.db.get('VBD', vbd);
    if (!r || r.empty || r.VDI === NULL_REF) continue;
    const sr = core.db.get('VDI', r.VDI as string)?.SR as string | undefined;
    if (sr && core.db.get('SR', sr) && !out.includes(sr)) out.push(sr);
  }
  return out;
}

/** A host sees an SR when one of its PBDs to it is plugged (xapi: Helpers.host_has_pbd_for_sr and attached). */
export function hostSeesSr(core: SimCore, hostRef: string, srRef: string): boolean {
  for (const pbd of core.db.get('SR', srRef)!.PBDs as string[]) {
    const r = core.db.get('PBD', pbd);
    if (r && r.host === hostRef && r.currently_attached) return true;
  }
  return false;
}

/**
 * xapi's order: HOST_NOT_LIVE [], HOST_DISABLED [host], VM_REQUIRES_SR [vm, sr] (a local
 * disk, or a CD in a host's own drive), HOST_NOT_ENOUGH_FREE_MEMORY [needed, available].
 */
export function assertCanBootHere(core: SimCore, vmRef: string, hostRef: string, opts: { memory?: boolean } = {}): void {
  if (!hostIsLive(core, hostRef)) throw new XapiFailure('HOST_NOT_LIVE');
  if (!core.db.get('host', hostRef)!.enabled) throw new XapiFailure('HOST_DISABLED', hostRef);
  for (const sr of srsOfVm(core, vmRef)) {
    if (!hostSeesSr(core, hostRef, sr)) throw new XapiFailure('VM_REQUIRES_SR', vmRef, sr);
  }
  if (opts.memory === false) return;
  const vm = core.db.get('VM', vmRef)!;
  const needed = vmFootprint(vm);
  // a VM already on the host takes nothing more there
  const available = vm.resident_on === hostRef ? needed + hostFreeMemory(core, hostRef) : hostFreeMemory(core, hostRef);
  if (needed > available) throw new XapiFailure('HOST_NOT_ENOUGH_FREE_MEMORY', String(needed), String(available));
}

/** Guest domains running on a host (control domains excluded). */
export function residentGuests(core: SimCore, hostRef: string): string[] {
  return (core.db.get('host', hostRef)!.resident_VMs as string[]).filter((vm) => {
    const r = core.db.get('VM', vm);
    return r && !r.is_control_domain;
  });
}

/**
 * xapi's compute_evacuation_plan_no_wlb: a guest that one of the other enabled, live
 * hosts could not boot (storage, …) cannot move, with that reason [code, ...params];
 * the others are placed first fit by memory as the plan fills the hosts, and a guest
 * left without room gets HOST_NOT_ENOUGH_FREE_MEMORY [vm].
 */
export function evacuationPlan(core: SimCore, hostRef: string): Map<string, { host: string } | { error: string[] }> {
  const plan = new Map<string, { host: string } | { error: string[] }>();
  const targets = [...core.db.records('host').keys()].filter((h) => h !== hostRef && core.db.get('host', h)!.enabled && hostIsLive(core, h));
  const room = new Map(targets.map((h) => [h, hostFreeMemory(core, h)]));
  for (const vm of residentGuests(core, hostRef)) {
    if (!targets.length) {
      plan.set(vm, { error: ['NO_HOSTS_AVAILABLE'] });
      continue;
    }
    const refusal = firstRefusal(core, vm, targets);
    if (refusal) {
      plan.set(vm, { error: refusal });
      continue;
    }
    const need = vmFootprint(core.db.get('VM', vm)!);
    const chosen = targets.find((h) => room.get(h)! >= need);
    if (!chosen) {
      plan.set(vm, { error: ['HOST_NOT_ENOUGH_FREE_MEMORY', vm] });
      continue;
    }
    room.set(chosen, room.get(chosen)! - need);
    plan.set(vm, { host: chosen });
  }
  return plan;
}

/** A paused guest cannot be live-migrated (pool_migrate's power states); else the first host that cannot boot it. */
function firstRefusal(core: SimCore, vm: string, hosts: string[]): string[] | undefined {
  for (const h of hosts) {
    try {
      assertVmOperation(core, vm, 'pool_migrate');
      assertCanBootHere(core, vm, h, { memory: false });
    } catch (e) {
      if (e instanceof XapiFailure) return e.description;
      throw e;
    }
  }
  return undefined;
}
