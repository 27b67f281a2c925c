// "Spread over the pool": each VM goes to the host that can take it with the most
// free memory left, counting the VMs already placed there (so equal hosts take turns).
import type { ErrorInfo } from '../../../shared/errors';
import type { MigrationPlan, MigrationTarget } from '../../../shared/migration';
import type { InventoryNode } from '../../../shared/model';

export interface Placement {
  vmId: string;
  /** the chosen host; absent when no host of the VM's server can take it */
  hostId?: string;
  /** why not, when no host can: the first host's reason */
  reason?: ErrorInfo;
}

type NodeLookup = (id: string) => InventoryNode | undefined;
type ChildrenLookup = (id: string) => readonly string[];

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Free memory of a host: what the server reports, else its total less the memory of the guests running on it. */
export function freeMemoryOf(host: InventoryNode, node: NodeLookup, children: ChildrenLookup): number {
  const reported = num(host.props.memoryFree);
  if (reported !== null) return reported;
  const total = num(host.props.memoryTotal) ?? 0;
  let used = 0;
  for (const id of children(host.id)) {
    const guest = node(id);
    if (guest && guest.state === 'running') used += num(guest.props.memory) ?? 0;
  }
  return total - used;
}

/** Same-server targets only: spreading is within the VM's own pool. */
function sameServerOk(targets: MigrationTarget[]): MigrationTarget[] {
  return targets.filter((t) => t.ok && !t.crossServer);
}

export function spreadOverPool(plan: MigrationPlan, node: NodeLookup, children: ChildrenLookup): Placement[] {
  const free = new Map<string, number>();
  const placed = new Map<string, number>();
  const freeOf = (hostId: string) => {
    if (!free.has(hostId)) {
      const host = node(hostId);
      free.set(hostId, host ? freeMemoryOf(host, node, children) : 0);
    }
    return free.get(hostId)!;
  };
  return plan.vms.map(({ vmId, targets }) => {
    const ok = sameServerOk(targets);
    if (ok.length === 0) {
      const refused = targets.find((t) => !t.crossServer && t.reason) ?? targets.find((t) => t.reason);
      return { vmId, ...(refused?.reason ? { reason: refused.reason } : {}) };
    }
    const best = ok.reduce((a, b) => {
      const diff = freeOf(b.hostId) - freeOf(a.hostId);
      if (diff !== 0) return diff > 0 ? b : a;
      return (placed.get(b.hostId) ?? 0) < (placed.get(a.hostId) ?? 0) ? b : a;
    });
    const memory = num(node(vmId)?.props.memory) ?? 0;
    free.set(best.hostId, freeOf(best.hostId) - memory);
    placed.set(best.hostId, (placed.get(best.hostId) ?? 0) + 1);
    return { vmId, hostId: best.hostId };
  });
}

/** A host every VM can go to (for "one host for all"): ok for each, or the first refusal. */
export function sharedTarget(plan: MigrationPlan, hostId: string): { ok: true; target: MigrationTarget } | { ok: false; vmId: string; reason?: ErrorInfo } {
  let found: MigrationTarget | undefined;
  for (const vm of plan.vms) {
    const target = vm.targets.find((t) => t.hostId === hostId);
    if (!target) return { ok: false, vmId: vm.vmId };
    if (!target.ok) return { ok: false, vmId: vm.vmId, reason: target.reason };
    found ??= target;
  }
  return found ? { ok: true, target: found } : { ok: false, vmId: '' };
}

/** Every host any VM of the plan could be sent to, in the order the server listed them. */
export function targetHostIds(plan: MigrationPlan): string[] {
  const ids: string[] = [];
  for (const vm of plan.vms) for (const t of vm.targets) if (!ids.includes(t.hostId)) ids.push(t.hostId);
  return ids;
}
