// Which snapshots a policy's retention deletes: only snapshots of that VM that the
// same policy took (marked with its id), never the one just taken, oldest first,
// until `retain` are left. A user's own snapshots are never candidates.

import { defaultSnapshotName, snapshotNameProblem, type SnapshotNameRule } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';

export function policySnapshotsOf(nodes: Iterable<InventoryNode>, vmId: string, policyId: string): InventoryNode[] {
  const all = [...nodes].filter((n) => n.kind === 'snapshot' && n.snapshot?.ofId === vmId);
  return oldestFirst(all.filter((n) => n.snapshot?.policyId === policyId), all);
}

/** The snapshots to delete so that `retain` of the policy's own are left, `keepId` (just taken) always among them. */
export function snapshotsToPrune(nodes: Iterable<InventoryNode>, vmId: string, policyId: string, retain: number, keepId: string | undefined): InventoryNode[] {
  const own = policySnapshotsOf(nodes, vmId, policyId);
  const excess = own.length - Math.max(1, retain);
  if (excess <= 0) return [];
  return own.filter((n) => n.id !== keepId).slice(0, excess);
}

/**
 * Oldest first: by the time the server gives; where two have the same time (Proxmox
 * counts whole seconds), the one deeper in the VM's snapshot tree was taken later.
 */
function oldestFirst(snapshots: InventoryNode[], tree: InventoryNode[]): InventoryNode[] {
  const byId = new Map(tree.map((n) => [n.id, n]));
  const depth = (n: InventoryNode) => {
    let d = 0;
    const seen = new Set<string>();
    for (let p = n.snapshot?.parentSnapshotId; p && byId.has(p) && !seen.has(p); p = byId.get(p)!.snapshot?.parentSnapshotId) {
      seen.add(p);
      d++;
    }
    return d;
  };
  const time = (n: InventoryNode) => {
    const t = n.snapshot?.time ? Date.parse(n.snapshot.time) : NaN;
    return Number.isFinite(t) ? t : Number.MAX_SAFE_INTEGER;
  };
  return [...snapshots].sort((a, b) => time(a) - time(b) || depth(a) - depth(b) || a.name.localeCompare(b.name));
}

/** The platform's default name for a snapshot taken now, made unique among the VM's snapshots if it has to be. */
export function policySnapshotName(rule: SnapshotNameRule, vmName: string, now: Date, taken: ReadonlySet<string>): string {
  const base = defaultSnapshotName(rule, vmName, now);
  if (!taken.has(base)) return base;
  for (let i = 2; i < 1000; i++) {
    for (const sep of ['-', '_']) {
      const suffix = `${sep}${i}`;
      const candidate = `${rule.maxLength ? base.slice(0, rule.maxLength - suffix.length) : base}${suffix}`;
      if (!taken.has(candidate) && !snapshotNameProblem(rule, candidate)) return candidate;
    }
  }
  return base; // a thousand snapshots with this name in one second: let the server say what it thinks
}
