// The cluster log (pmxcfs's clusterlog, GET /cluster/log): what the daemons of every
// node wrote, newest first, each entry { uid, time, node, pid, user, tag, pri, msg }
// with pri a syslog priority (0 emerg … 3 err … 6 info). pvedaemon writes a line when
// a worker task starts and when it ends (its exit status); a test adds other daemons'
// lines (HA fencing, corosync) with `add`. pmxcfs keeps a bounded ring of entries.

export interface ClusterLogEntry {
  uid: number;
  /** Unix seconds */
  time: number;
  node: string;
  pid: number;
  user: string;
  tag: string;
  pri: number;
  msg: string;
}

/** pmxcfs keeps this many entries (its ring buffer holds about this much) */
const CAPACITY = 4096;

export class ClusterLog {
  private readonly entries: ClusterLogEntry[] = [];
  private nextUid = 1;

  add(entry: Omit<ClusterLogEntry, 'uid' | 'time'> & { time?: number }): ClusterLogEntry {
    const full: ClusterLogEntry = { uid: this.nextUid++, time: entry.time ?? Math.floor(Date.now() / 1000), ...entry } as ClusterLogEntry;
    this.entries.push(full);
    if (this.entries.length > CAPACITY) this.entries.splice(0, this.entries.length - CAPACITY);
    return full;
  }

  /** Newest first, at most `max` (PVE's default is 50). */
  newest(max = 50): ClusterLogEntry[] {
    return this.entries.slice(-max).reverse();
  }
}
