// Which guests' snapshot lists changed, from the cluster's task list. A snapshot
// taken, rolled back or deleted by anyone through the API (web UI, qm/pct, other
// clients) runs as a worker task listed in GET /cluster/tasks, even when it
// starts and ends between two polls and so never shows as a lock in
// /cluster/resources. Reading the task list before the first load gives a point
// to compare from: every snapshot task that appears or ends after it names a
// guest whose list must be read again.

import type { ClusterTask } from './answers';
import { guestRef, type GuestType } from './model-map';

const SNAPSHOT_TASKS: Readonly<Record<string, GuestType>> = {
  qmsnapshot: 'qemu',
  qmrollback: 'qemu',
  qmdelsnapshot: 'qemu',
  qmrestore: 'qemu',
  vzsnapshot: 'lxc',
  vzrollback: 'lxc',
  vzdelsnapshot: 'lxc',
  vzrestore: 'lxc',
};

export class SnapshotTaskWatch {
  /** upid → whether it had ended, as of the last task list */
  private known = new Map<string, boolean>();

  /** Takes the current task list; returns the guests whose snapshot tasks are new or have ended since the last one. */
  update(tasks: ClusterTask[]): string[] {
    const touched = new Set<string>();
    const next = new Map<string, boolean>();
    for (const t of tasks) {
      const type = SNAPSHOT_TASKS[t.type];
      if (!type) continue;
      next.set(t.upid, t.done);
      const before = this.known.get(t.upid);
      if (before === undefined || (!before && t.done)) {
        if (/^\d+$/.test(t.id)) touched.add(guestRef(type, t.id));
      }
    }
    // only what the server still lists: the map never outgrows its answer
    this.known = next;
    return [...touched];
  }
}
