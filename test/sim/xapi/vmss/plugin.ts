// What xapi's "vmss" host plugin does when a schedule runs (on time, or from
// VMSS.snapshot_now), after the Schedule Snapshot design: snapshot every VM of
// the schedule (a failure is noted and the next VM goes on), keep the newest
// `retained_snapshots` of the VM's schedule snapshots (is_vmss_snapshot) and
// delete the older ones, set last_run_time, and leave a message for the pool.
//
// The plugin itself is not in the public xen-api sources: the snapshot names
// (`<VM name>-<YYYYMMDD>-<HHMM>`, master local time) are this simulator's choice.
import type { SimCore } from '../core';
import { XapiFailure } from '../failure';
import { wallClock } from '../local-time';
import { copyVm, destroySnapshotWithDisks } from '../methods/vm-copies';
import { assertCanSnapshot } from '../methods/vm-snapshots';

export interface VmssRunResult {
  snapshots: string[];
  pruned: string[];
  failures: Array<{ vm: string; error: string[] }>;
}

function scheduleSnapshotName(core: SimCore, vmName: string): string {
  const w = wallClock(core.clock.nowMs(), core.opts.timeZone);
  return `${vmName}-${w.yyyy}${w.MM}${w.dd}-${w.HH}${w.mm}`;
}

function takeScheduleSnapshot(core: SimCore, vm: string, type: string): string {
  const name = scheduleSnapshotName(core, String(core.db.get('VM', vm)!.name_label));
  switch (type) {
    case 'checkpoint':
      assertCanSnapshot(core, vm, 'checkpoint');
      return copyVm(core, vm, 'checkpoint', { name, isVmssSnapshot: true });
    case 'snapshot':
      assertCanSnapshot(core, vm, 'snapshot');
      return copyVm(core, vm, 'snapshot', { name, isVmssSnapshot: true });
    default:
      // the plugin calls VM.snapshot_with_quiesce, which current releases removed
      throw new XapiFailure('MESSAGE_REMOVED');
  }
}

/** The VM's schedule snapshots beyond `keep`, oldest first. */
function beyondRetention(core: SimCore, vm: string, keep: number): string[] {
  const own = (core.db.get('VM', vm)!.snapshots as string[])
    .map((ref) => ({ ref, rec: core.db.get('VM', ref) }))
    .filter((s) => s.rec?.is_vmss_snapshot)
    .sort((a, b) => String(a.rec!.snapshot_time).localeCompare(String(b.rec!.snapshot_time)));
  return own.slice(0, Math.max(0, own.length - keep)).map((s) => s.ref);
}

export function runVmss(core: SimCore, vmssRef: string): VmssRunResult {
  const vmss = core.db.get('VMSS', vmssRef)!;
  const result: VmssRunResult = { snapshots: [], pruned: [], failures: [] };
  for (const vm of (vmss.VMs as string[]).slice()) {
    if (!core.db.get('VM', vm)) continue;
    try {
      result.snapshots.push(takeScheduleSnapshot(core, vm, String(vmss.type)));
      for (const old of beyondRetention(core, vm, Number(vmss.retained_snapshots))) {
        destroySnapshotWithDisks(core, old);
        result.pruned.push(old);
      }
    } catch (e) {
      if (!(e instanceof XapiFailure)) throw e;
      result.failures.push({ vm, error: e.description });
    }
  }
  core.db.set('VMSS', vmssRef, 'last_run_time', core.now());
  leaveMessage(core, vmssRef, result);
  return result;
}

/** VMSS_SNAPSHOT_SUCCEEDED (priority 5) or VMSS_SNAPSHOT_FAILED (3) with a line per failed VM, as XenCenter's PolicyAlert reads them. */
function leaveMessage(core: SimCore, vmssRef: string, result: VmssRunResult): void {
  const failed = result.failures.length > 0;
  const body = result.failures
    .map(({ vm, error }) => {
      const rec = core.db.get('VM', vm);
      return `VM:${String(rec?.name_label ?? '')}UUID:${String(rec?.uuid ?? '')}Error:[${error.map((p) => `'${p}'`).join(', ')}]`;
    })
    .join('\n');
  core.db.add('message', {
    name: failed ? 'VMSS_SNAPSHOT_FAILED' : 'VMSS_SNAPSHOT_SUCCEEDED',
    priority: failed ? 3 : 5,
    cls: 'VMSS',
    obj_uuid: core.db.get('VMSS', vmssRef)!.uuid,
    timestamp: core.now(),
    body,
  });
}
