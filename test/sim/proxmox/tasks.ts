// Worker tasks with real UPIDs (UPID:node:PID:PSTART:STARTTIME:TYPE:ID:USER:),
// running for taskDurationMs, writing a log, ending with exitstatus 'OK' or the error;
// pvedaemon's lines about each start and end go to the cluster log.

import { ClusterLog } from './cluster-log';

export interface TaskWork {
  /** runs when the worker starts (checks, locks); throwing fails the task with that message */
  begin(): void;
  /** applies the result when the task completes; throwing fails the task */
  finish(): void;
  /** undoes begin() when the task fails or is stopped */
  abort?(): void;
  /** log lines written while the task runs */
  lines?: string[];
  /** runs halfway through (a restart migration stops the container there) */
  midway?(): void;
}

export interface SimTask {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  status: 'running' | 'stopped';
  exitstatus?: string;
  endtime?: number;
  log: string[];
  /** ended by finishOpen, not by the clock */
  open?: boolean;
}

const hex8 = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, '0');

export class TaskManager {
  readonly tasks = new Map<string, SimTask>();
  readonly clusterLog = new ClusterLog();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Map<string, () => void>();
  private nextPid = 0x31b740;

  constructor(public durationMs: number) {}

  start(node: string, type: string, id: string, user: string, work: TaskWork): SimTask {
    const pid = this.nextPid++;
    const starttime = Math.floor(Date.now() / 1000);
    const pstart = 0x0645340c + pid;
    const upid = `UPID:${node}:${hex8(pid)}:${hex8(pstart)}:${hex8(starttime)}:${type}:${id}:${user}:`;
    const task: SimTask = { upid, node, pid, pstart, starttime, type, id, user, status: 'running', log: [] };
    this.tasks.set(upid, task);
    this.daemonLine(task, `<${user}> starting task ${upid}`);
    try {
      work.begin();
    } catch (e) {
      this.end(task, errorText(e));
      return task;
    }
    const lines = work.lines ?? [];
    const steps = lines.length + 1;
    lines.forEach((line, i) => this.later(((i + 1) * this.durationMs) / steps, () => task.status === 'running' && task.log.push(line)));
    if (work.midway) this.later(this.durationMs / 2, () => task.status === 'running' && work.midway!());
    this.aborts.set(upid, () => work.abort?.());
    this.later(this.durationMs, () => {
      if (task.status !== 'running' || task.open) return;
      this.aborts.delete(upid);
      try {
        work.finish();
        this.end(task, 'OK');
      } catch (e) {
        work.abort?.();
        this.end(task, errorText(e));
      }
    });
    return task;
  }

  /** A task whose end its caller decides (a bulk task waiting for the tasks it started): log with `task.log`, end with `finishOpen`. */
  startOpen(node: string, type: string, id: string, user: string, onStop: () => void): SimTask {
    const task = this.start(node, type, id, user, { begin() {}, finish() {} });
    // replace the fixed-duration end: only finishOpen or a stop ends it
    task.open = true;
    this.aborts.set(task.upid, onStop);
    return task;
  }

  finishOpen(task: SimTask, exitstatus: string): void {
    if (task.status !== 'running') return;
    this.aborts.delete(task.upid);
    this.end(task, exitstatus);
  }

  /** Runs `fn` after `ms` unless the simulator stops first. */
  schedule(ms: number, fn: () => void): void {
    this.later(ms, fn);
  }

  /** DELETE /nodes/{node}/tasks/{upid}: the worker gets a signal and stops. */
  stop(upid: string): void {
    const task = this.tasks.get(upid);
    if (!task || task.status !== 'running') return;
    this.aborts.get(upid)?.();
    this.aborts.delete(upid);
    this.end(task, 'interrupted by signal');
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private end(task: SimTask, exitstatus: string): void {
    task.status = 'stopped';
    task.exitstatus = exitstatus;
    task.endtime = Math.floor(Date.now() / 1000);
    task.log.push(exitstatus === 'OK' ? 'TASK OK' : `TASK ERROR: ${exitstatus}`);
    this.daemonLine(task, `<${task.user}> end task ${task.upid} ${exitstatus}`);
  }

  /** pvedaemon's line in the cluster log (its pid is the worker's parent: one per node) */
  private daemonLine(task: SimTask, msg: string): void {
    this.clusterLog.add({ node: task.node, pid: 0x1a2b, user: task.user, tag: 'pvedaemon', pri: 6, msg });
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\n$/, '');
}
