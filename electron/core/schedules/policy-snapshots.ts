// The snapshots a policy took, wherever they are: to delete them with the policy,
// and to show the runs of a policy the server runs (the server keeps no run
// history, but each snapshot it took says which policy took it and when).

import { PolyvisorError, toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import type { PolicyRun } from '../../../shared/schedules';
import type { ScheduleEnvironment } from './schedule-environment';

export function snapshotsTakenBy(policyId: string, env: ScheduleEnvironment): InventoryNode[] {
  return env.nodes().filter((n) => n.kind === 'snapshot' && n.snapshot?.policyId === policyId);
}

/** Deletes every snapshot the policy took (never another); throws, naming how many failed, if any did. */
export async function deleteSnapshotsTakenBy(policyId: string, env: ScheduleEnvironment): Promise<number> {
  // a list not read yet may hold some of them: deleting the policy would leave those behind
  await env.readPendingSnapshotLists();
  const snapshots = snapshotsTakenBy(policyId, env);
  const failures: Array<{ name: string; error: ErrorInfo }> = [];
  for (const snapshot of snapshots) {
    try {
      const [task] = env.runAction({ nodeIds: [snapshot.id], action: 'snapshot_delete' });
      const done = task.status === 'running' ? await env.whenDone(task.id) : task;
      if (done.status !== 'success') failures.push({ name: snapshot.name, error: done.error ?? { code: 'CANCELLED', message: 'cancelled' } });
    } catch (e) {
      failures.push({ name: snapshot.name, error: toErrorInfo(e) });
    }
  }
  if (failures.length > 0) {
    const [first] = failures;
    throw new PolyvisorError({
      ...first.error,
      message: `${failures.length} of ${snapshots.length} snapshots of the policy could not be deleted, so the policy was kept (first: "${first.name}": ${first.error.message}).`,
    });
  }
  return snapshots.length;
}

/**
 * Runs of a server's own policy read from the snapshots it took: one run per minute in
 * which it took snapshots. Runs Polyvisor recorded itself (run now) come first and are
 * not counted twice.
 */
export function runsFromSnapshots(policyId: string, policyName: string, env: ScheduleEnvironment, recorded: PolicyRun[]): PolicyRun[] {
  const byMinute = new Map<string, InventoryNode[]>();
  for (const s of snapshotsTakenBy(policyId, env)) {
    if (!s.snapshot?.time) continue;
    const minute = new Date(Math.floor(Date.parse(s.snapshot.time) / 60_000) * 60_000).toISOString();
    byMinute.set(minute, [...(byMinute.get(minute) ?? []), s]);
  }
  const coveredByRecord = (minute: string) =>
    recorded.some((r) => {
      const t = Date.parse(minute);
      return t >= Date.parse(r.startedAt) - 60_000 && t <= Date.parse(r.finishedAt ?? r.startedAt) + 60_000;
    });
  const derived = [...byMinute]
    .filter(([minute]) => !coveredByRecord(minute))
    .map(
      ([minute, snapshots]): PolicyRun => ({
        id: `${policyId}@${minute}`,
        policyId,
        policyName,
        trigger: 'schedule',
        startedAt: minute,
        finishedAt: minute,
        outcome: 'success',
        items: snapshots.map((s) => ({ nodeId: s.snapshot!.ofId, name: env.node(s.snapshot!.ofId)?.name ?? s.snapshot!.ofId, created: s.id, pruned: [] })),
      }),
    );
  return [...recorded, ...derived].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
