// Where VMs of a pool can go, decided the way XenCenter decides it: the server is
// asked per VM and host (VM.assert_operation_valid for pool_migrate, then
// VM.assert_can_boot_here), and an evacuation follows the server's own list of VMs
// that prevent it (host.get_vms_which_prevent_evacuation) while each movable VM gets
// a host with room (host.compute_free_memory, first fit).

import { toErrorInfo, type ErrorInfo } from '../../../../shared/errors';
import type { CrossServerMigration, ProviderMigration, ProviderMigrationTarget } from '../provider';
import type { ActionContext } from './actions';
import { xapiFailure, isXapiFailure } from './errors';
import { bool, isRef, num, refs, str, type XapiCache, type XapiRecord } from './records';

export interface EvacuationStepPlan {
  vmRef: string;
  hostRef?: string;
  reason?: ErrorInfo;
}

/** The server's refusal of `check` as a reason, or undefined when it agrees; other failures propagate. */
export async function reasonOf(check: () => Promise<unknown>): Promise<ErrorInfo | undefined> {
  try {
    await check();
    return undefined;
  } catch (err) {
    if (isXapiFailure(err)) return toErrorInfo(err);
    throw err;
  }
}

export function hostIsLive(cache: XapiCache, hostRef: string): boolean {
  const host = cache.host.get(hostRef);
  const metrics = host && isRef(host.metrics) ? cache.host_metrics.get(host.metrics) : undefined;
  return metrics ? bool(metrics.live) : true;
}

/** Guests that run (or are paused) on the host: what an evacuation moves. */
export function runningGuests(cache: XapiCache, hostRef: string): string[] {
  const out: string[] = [];
  for (const [ref, vm] of cache.vm) {
    if (vm.resident_on !== hostRef || bool(vm.is_control_domain) || bool(vm.is_a_template) || bool(vm.is_a_snapshot)) continue;
    if (['Running', 'Paused'].includes(str(vm.power_state))) out.push(ref);
  }
  return out;
}

/** Hosts that may take VMs now: up and enabled, `except` excluded. */
function receivingHosts(cache: XapiCache, except: string): string[] {
  return [...cache.host.keys()].filter((h) => h !== except && bool(cache.host.get(h)!.enabled) && hostIsLive(cache, h));
}

export async function planEvacuation(ctx: ActionContext, hostRef: string): Promise<EvacuationStepPlan[]> {
  const session = ctx.session();
  const cache = ctx.tracker.cache;
  const prevent = await session.call<Record<string, unknown>>('host.get_vms_which_prevent_evacuation', hostRef);
  const targets = receivingHosts(cache, hostRef);
  const room = new Map<string, number>();
  for (const h of targets) room.set(h, num(await session.call('host.compute_free_memory', h)) ?? 0);
  const steps: EvacuationStepPlan[] = [];
  const guests = runningGuests(cache, hostRef);
  for (const vmRef of Object.keys(prevent)) if (!guests.includes(vmRef)) guests.push(vmRef);
  for (const vmRef of guests) {
    if (Object.hasOwn(prevent, vmRef)) {
      steps.push({ vmRef, reason: toErrorInfo(xapiFailure(refs(prevent[vmRef]))) });
      continue;
    }
    const need = num(cache.vm.get(vmRef)?.memory_static_max) ?? 0;
    const chosen = targets.find((h) => room.get(h)! >= need);
    if (chosen) {
      room.set(chosen, room.get(chosen)! - need);
      steps.push({ vmRef, hostRef: chosen });
      continue;
    }
    // no room left once the others are placed: the server's own answer for the roomiest host
    const roomiest = [...room].sort((a, b) => b[1] - a[1])[0]?.[0];
    const reason = roomiest ? await reasonOf(() => session.call('VM.assert_can_boot_here', vmRef, roomiest)) : undefined;
    steps.push({ vmRef, reason: reason ?? toErrorInfo(xapiFailure(['NO_HOSTS_AVAILABLE'])) });
  }
  return steps;
}

export class XapiMigration implements ProviderMigration {
  constructor(
    private readonly ctx: ActionContext,
    readonly crossServer: CrossServerMigration,
  ) {}

  async plan(vmRefs: string[]): Promise<Array<{ vmRef: string; targets: ProviderMigrationTarget[] }>> {
    const out: Array<{ vmRef: string; targets: ProviderMigrationTarget[] }> = [];
    for (const vmRef of vmRefs) out.push({ vmRef, targets: await this.targetsOf(vmRef) });
    return out;
  }

  evacuationPlan(hostRef: string): Promise<EvacuationStepPlan[]> {
    return planEvacuation(this.ctx, hostRef);
  }

  private async targetsOf(vmRef: string): Promise<ProviderMigrationTarget[]> {
    const session = this.ctx.session();
    const vm: XapiRecord | undefined = this.ctx.tracker.cache.vm.get(vmRef);
    const hosts = [...this.ctx.tracker.cache.host.keys()].filter((h) => h !== vm?.resident_on);
    // a VM that cannot be live-migrated at all (halted, busy, …) has the same reason for every host
    const refusal = await reasonOf(() => session.call('VM.assert_operation_valid', vmRef, 'pool_migrate'));
    const targets: ProviderMigrationTarget[] = [];
    for (const hostRef of hosts) {
      const reason = refusal ?? (await reasonOf(() => session.call('VM.assert_can_boot_here', vmRef, hostRef)));
      targets.push(reason ? { hostRef, ok: false, reason } : { hostRef, ok: true });
    }
    return targets;
  }
}
