// Long operations (power, snapshots) as tasks the user can watch and cancel.
// Each task gets a TaskReporter: progress is clamped and throttled before it
// reaches the renderer; cancel() aborts the signal and asks the server to stop.

import { randomUUID } from 'node:crypto';
import type { TaskInfo } from '../../../shared/contract';
import { PolyvisorError, isPolyvisorError, toErrorInfo } from '../../../shared/errors';
import { nodeId } from '../../../shared/model';
import type { ActionResult, ChildStep, TaskReporter } from '../providers/provider';

export interface TaskTarget {
  serverId: string;
  targetId: string;
  targetName: string;
  /** a snapshot's task: the VM or container it belongs to */
  ownerName?: string;
  action: TaskInfo['action'];
}

export interface TaskManagerOptions {
  emit: (task: TaskInfo) => void;
  /** finished tasks kept for the Tasks view; older ones are dropped first */
  maxFinished?: number;
  /** at most one progress event per task per interval */
  progressIntervalMs?: number;
  /** turns a provider's resultId into an inventory node id */
  resolveResultId?: (target: TaskTarget, resultId: string) => string;
}

interface TaskEntry {
  info: TaskInfo;
  controller: AbortController;
  cancelFn: (() => Promise<void>) | null;
  cancelRequested: boolean;
  lastEmit: number;
  progressTimer?: NodeJS.Timeout;
  done?: Promise<TaskInfo>;
}

export class TaskManager {
  private readonly tasks = new Map<string, TaskEntry>();
  private readonly maxFinished: number;
  private readonly interval: number;

  constructor(private readonly options: TaskManagerOptions) {
    this.maxFinished = options.maxFinished ?? 200;
    this.interval = options.progressIntervalMs ?? 100;
  }

  /** Starts `work` now and returns the task as it is at the start. */
  start(target: TaskTarget, work: (reporter: TaskReporter) => Promise<ActionResult | void>, parentId?: string): TaskInfo {
    const controller = new AbortController();
    const info: TaskInfo = {
      id: randomUUID(),
      serverId: target.serverId,
      targetId: target.targetId,
      targetName: target.targetName,
      ...(target.ownerName ? { ownerName: target.ownerName } : {}),
      action: target.action,
      status: 'running',
      progress: 0,
      startedAt: Date.now(),
      cancellable: false,
      ...(parentId ? { parentId } : {}),
    };
    const entry: TaskEntry = { info, controller, cancelFn: null, cancelRequested: false, lastEmit: 0 };
    this.tasks.set(info.id, entry);
    const reporter = this.reporterFor(entry);
    entry.done = Promise.resolve()
      .then(() => work(reporter))
      .then(
        (result) => this.finish(entry, target, { result: result ?? {} }),
        (error) => this.finish(entry, target, { error }),
      );
    this.emit(entry);
    return { ...info };
  }

  list(): TaskInfo[] {
    return [...this.tasks.values()].map((e) => ({ ...e.info }));
  }

  get(id: string): TaskInfo | undefined {
    const e = this.tasks.get(id);
    return e && { ...e.info };
  }

  /** Resolves with the finished task (success, failure or cancelled). */
  whenDone(id: string): Promise<TaskInfo> {
    const e = this.tasks.get(id);
    if (!e?.done) return Promise.reject(notFound(id));
    return e.done;
  }

  async cancel(id: string): Promise<void> {
    const entry = this.tasks.get(id);
    if (!entry) throw notFound(id);
    if (entry.info.status !== 'running' || entry.cancelRequested) return;
    if (!entry.cancelFn) {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `The task "${entry.info.action}" on ${entry.info.targetName} cannot be cancelled at this point.` });
    }
    entry.cancelRequested = true;
    try {
      // The server's own cancel first: the signal is only aborted once the server agreed,
      // so a provider never abandons an operation that is in fact still running.
      await entry.cancelFn();
    } catch (e) {
      entry.cancelRequested = false;
      if (entry.info.status !== 'running') return; // it finished meanwhile: its own outcome stands
      throw new PolyvisorError({ ...toErrorInfo(e), message: `Could not cancel: ${toErrorInfo(e).message}` }, { cause: e });
    }
    entry.controller.abort();
  }

  clearFinished(): void {
    for (const [id, e] of this.tasks) if (e.info.status !== 'running') this.tasks.delete(id);
  }

  /** Aborts every running task's signal (used when the app stops; the servers' tasks carry on). */
  abortAll(): void {
    for (const e of this.tasks.values()) if (e.info.status === 'running') e.controller.abort();
  }

  private reporterFor(entry: TaskEntry): TaskReporter {
    return {
      signal: entry.controller.signal,
      progress: (fraction: number) => {
        if (entry.info.status !== 'running' || !Number.isFinite(fraction)) return;
        const p = Math.min(1, Math.max(0, fraction));
        if (p === entry.info.progress) return;
        entry.info.progress = p;
        this.emitProgress(entry);
      },
      setCancellable: (cancel) => {
        if (entry.info.status !== 'running') return;
        entry.cancelFn = cancel;
        const cancellable = cancel !== null;
        if (cancellable !== entry.info.cancellable) {
          entry.info.cancellable = cancellable;
          this.emit(entry);
        }
      },
      child: (step, work) => this.startChild(entry, step, work),
    };
  }

  /** A step of `parent` on another item: its own task, under the parent, ended with it when the parent is cancelled. */
  private startChild(parent: TaskEntry, step: ChildStep, work: (reporter: TaskReporter) => Promise<ActionResult | void>): Promise<TaskInfo> {
    const { serverId } = parent.info;
    const target: TaskTarget = { serverId, targetId: nodeId(serverId, step.target.kind, step.target.nativeRef), targetName: step.name, action: step.action };
    const child = this.start(target, work, parent.info.id);
    const entry = this.tasks.get(child.id)!;
    const abortChild = () => entry.controller.abort();
    parent.controller.signal.addEventListener('abort', abortChild, { once: true });
    return entry.done!.finally(() => parent.controller.signal.removeEventListener('abort', abortChild));
  }

  private emitProgress(entry: TaskEntry): void {
    if (entry.progressTimer) return;
    const wait = entry.lastEmit + this.interval - Date.now();
    if (wait <= 0) {
      this.emit(entry);
      return;
    }
    entry.progressTimer = setTimeout(() => {
      entry.progressTimer = undefined;
      if (entry.info.status === 'running') this.emit(entry);
    }, wait);
  }

  private finish(entry: TaskEntry, target: TaskTarget, outcome: { result?: ActionResult; error?: unknown }): TaskInfo {
    clearTimeout(entry.progressTimer);
    entry.progressTimer = undefined;
    const info = entry.info;
    info.finishedAt = Date.now();
    info.cancellable = false;
    if (outcome.error === undefined) {
      info.status = 'success';
      info.progress = 1;
      const rid = outcome.result?.resultId;
      if (rid) info.resultId = this.options.resolveResultId ? this.options.resolveResultId(target, rid) : rid;
      const reclaimed = outcome.result?.reclaimedBytes;
      if (reclaimed !== undefined) info.reclaimedBytes = reclaimed;
      const nextBoot = outcome.result?.nextBoot;
      if (nextBoot?.length) info.nextBoot = [...nextBoot];
    } else if (entry.cancelRequested || isPolyvisorError(outcome.error, 'CANCELLED')) {
      info.status = 'cancelled';
      info.error = isPolyvisorError(outcome.error, 'CANCELLED') ? outcome.error.info : { code: 'CANCELLED', message: 'Cancelled by the user.' };
    } else {
      info.status = 'failure';
      info.error = toErrorInfo(outcome.error);
    }
    this.emit(entry);
    this.dropOldFinished();
    return { ...info };
  }

  private dropOldFinished(): void {
    const finished = [...this.tasks.values()].filter((e) => e.info.status !== 'running');
    let excess = finished.length - this.maxFinished;
    for (const e of finished) {
      if (excess-- <= 0) break;
      this.tasks.delete(e.info.id);
    }
  }

  private emit(entry: TaskEntry): void {
    entry.lastEmit = Date.now();
    this.options.emit({ ...entry.info, error: entry.info.error && { ...entry.info.error } });
  }
}

function notFound(id: string): PolyvisorError {
  return new PolyvisorError({ code: 'NOT_FOUND', message: `No task with id ${JSON.stringify(id)}.` });
}
