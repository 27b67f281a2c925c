// Where a guest can go, from PVE's own precondition answer (GET …/migrate): each
// other node is ok, or not with PVE's reason kept as serverCode (its field name:
// unavailable_storages, local_disks, local_resources, blocking-ha-resources, …)
// and serverParams (the storages, volumes, devices). And where each guest of a
// node would go when the node is emptied.

import type { ErrorInfo } from '../../../../shared/errors';
import type { ProviderMigrationTarget } from '../provider';
import type { GuestResource, HostFacts } from './cluster-cache';
import type { MigratePrecondition } from './migration-answers';

const reason = (serverCode: string, serverParams: string[], message: string): ErrorInfo => ({ code: 'SERVER_ERROR', message, serverCode, serverParams });

const REASON_WORDS: Record<string, (items: string, node: string) => string> = {
  unavailable_storages: (items, node) => `Storage ${items} is not available on ${node}.`,
  'unavailable-resources': (items, node) => `Mapped devices ${items} are not available on ${node}.`,
  'blocking-ha-resources': (items, node) => `HA resources ${items} keep it off ${node} (resource affinity).`,
};

/** Why `guest` cannot go to `node`, or null; `pre` is PVE's precondition answer for it. */
export function reasonFor(guest: GuestResource, pre: MigratePrecondition, node: HostFacts): ErrorInfo | null {
  if (!node.online) return reason('offline', [node.name], `${node.name} is offline.`);
  const notAllowed = pre.notAllowed[node.name];
  if (notAllowed) {
    const [key, items] = Object.entries(notAllowed)[0];
    const words = REASON_WORDS[key]?.(items.join(', '), node.name) ?? `${node.name} cannot take it (${key}: ${items.join(', ')}).`;
    return reason(key, items, words);
  }
  if (guest.type !== 'qemu') return null;
  if (pre.localResources.length) {
    const devices = pre.localResources.join(', ');
    return reason('local_resources', pre.localResources, `It uses devices of its host (${devices}): PVE moves it only while it is stopped, with force.`);
  }
  if (pre.running && pre.localDisks.length) {
    return reason('local_disks', pre.localDisks, `It runs with local disks (${pre.localDisks.join(', ')}): a live move copies them (with-local-disks); choose Force to do so.`);
  }
  return null;
}

export function targetsFor(guest: GuestResource, pre: MigratePrecondition, hosts: HostFacts[]): ProviderMigrationTarget[] {
  const offline = guest.type === 'lxc' && pre.running;
  return hosts
    .filter((h) => h.name !== guest.node)
    .map((h) => {
      const why = reasonFor(guest, pre, h);
      return { hostRef: h.name, ok: !why, ...(why ? { reason: why } : {}), ...(offline ? { offline: true } : {}) };
    });
}

/**
 * Places each guest on the ok node with the most memory left, counting what the
 * guests placed before take (running ones only: a stopped guest uses none).
 * Nodes in maintenance take nothing. A guest with no ok node keeps the first reason.
 */
export function placeGuests(
  guests: Array<{ guest: GuestResource; targets: ProviderMigrationTarget[] }>,
  hosts: HostFacts[],
): Array<{ vmRef: string; hostRef?: string; reason?: ErrorInfo }> {
  const free = new Map(hosts.map((h) => [h.name, h.maxmem - h.mem]));
  const usable = new Set(hosts.filter((h) => h.online && !h.ha && !h.marked).map((h) => h.name));
  return guests.map(({ guest, targets }) => {
    const vmRef = `${guest.type}/${guest.vmid}`;
    const ok = targets.filter((t) => t.ok && usable.has(t.hostRef)).sort((a, b) => free.get(b.hostRef)! - free.get(a.hostRef)!);
    const chosen = ok[0];
    if (!chosen) {
      const first = targets.find((t) => t.reason)?.reason;
      return { vmRef, reason: first ?? { code: 'NOT_FOUND', message: 'No other node can take it now: the others are offline or in maintenance.' } };
    }
    if (guest.status === 'running') free.set(chosen.hostRef, free.get(chosen.hostRef)! - (guest.maxmem ?? 0));
    return { vmRef, hostRef: chosen.hostRef };
  });
}
