import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../shared/contract';
import { PolyvisorError } from '../../shared/errors';
import { TaskManager } from '../../electron/core/tasks/task-manager';
import type { TaskReporter } from '../../electron/core/providers/provider';

const target = { serverId: 's1', targetId: 's1:vm:OpaqueRef:1', targetName: 'web-01', action: 'snapshot_create' as const };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recorder() {
  const events: TaskInfo[] = [];
  return { events, emit: (t: TaskInfo) => events.push(t) };
}

describe('TaskManager', () => {
  it('reports start, throttled progress and success with the created object', async () => {
    const { events, emit } = recorder();
    const tasks = new TaskManager({ emit, progressIntervalMs: 50, resolveResultId: (t, rid) => `${t.serverId}:snapshot:${rid}` });
    const started = tasks.start(target, async (r) => {
      for (let i = 1; i <= 200; i++) {
        r.progress(i / 200);
        if (i % 20 === 0) await sleep(10);
      }
      return { resultId: 'OpaqueRef:snap' };
    });
    expect(started).toMatchObject({ status: 'running', progress: 0, serverId: 's1', targetName: 'web-01', action: 'snapshot_create' });
    const done = await tasks.whenDone(started.id);
    expect(done).toMatchObject({ status: 'success', progress: 1, resultId: 's1:snapshot:OpaqueRef:snap' });
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt);
    // 200 progress calls over ~100 ms at most one event per 50 ms: a handful of events, not 200
    const running = events.filter((e) => e.status === 'running');
    expect(running.length).toBeGreaterThan(1);
    expect(running.length).toBeLessThan(8);
    const progresses = running.map((e) => e.progress);
    expect([...progresses].sort((a, b) => a - b)).toEqual(progresses);
    expect(events.at(-1)).toEqual(done);
    expect(tasks.list()).toEqual([done]);
  });

  it('clamps progress to 0..1 and ignores garbage', async () => {
    const { events, emit } = recorder();
    const tasks = new TaskManager({ emit, progressIntervalMs: 0 });
    let reporter!: TaskReporter;
    let finish!: () => void;
    const t = tasks.start(target, (r) => {
      reporter = r;
      return new Promise<void>((res) => (finish = res));
    });
    await sleep(1);
    reporter.progress(7);
    reporter.progress(Number.NaN);
    expect(tasks.get(t.id)?.progress).toBe(1);
    reporter.progress(-3);
    expect(tasks.get(t.id)?.progress).toBe(0);
    finish();
    await tasks.whenDone(t.id);
    expect(events.every((e) => e.progress >= 0 && e.progress <= 1)).toBe(true);
  });

  it('fails with the server code and message', async () => {
    const { emit } = recorder();
    const tasks = new TaskManager({ emit });
    const t = tasks.start(target, async () => {
      throw new PolyvisorError({
        code: 'SERVER_ERROR',
        message: 'The VM is in the wrong power state',
        serverCode: 'VM_BAD_POWER_STATE',
        serverParams: ['OpaqueRef:1', 'running', 'halted'],
      });
    });
    const done = await tasks.whenDone(t.id);
    expect(done.status).toBe('failure');
    expect(done.error).toEqual({
      code: 'SERVER_ERROR',
      message: 'The VM is in the wrong power state',
      serverCode: 'VM_BAD_POWER_STATE',
      serverParams: ['OpaqueRef:1', 'running', 'halted'],
    });
  });

  it('turns anything else thrown into INTERNAL without a stack', async () => {
    const tasks = new TaskManager({ emit: () => undefined });
    const t = tasks.start(target, async () => {
      throw new TypeError('boom');
    });
    expect((await tasks.whenDone(t.id)).error).toEqual({ code: 'INTERNAL', message: 'boom' });
  });

  it('cancels: aborts the signal, calls the server cancel, ends as cancelled', async () => {
    const { events, emit } = recorder();
    const tasks = new TaskManager({ emit });
    let serverCancelled = false;
    const t = tasks.start(target, (r) => {
      return new Promise((_resolve, reject) => {
        r.setCancellable(async () => {
          serverCancelled = true;
        });
        r.signal.addEventListener('abort', () => reject(new PolyvisorError({ code: 'SERVER_ERROR', message: 'task cancelled', serverCode: 'TASK_CANCELLED' })));
      });
    });
    await sleep(1);
    expect(tasks.get(t.id)?.cancellable).toBe(true);
    expect(events.some((e) => e.cancellable)).toBe(true);
    await tasks.cancel(t.id);
    const done = await tasks.whenDone(t.id);
    expect(serverCancelled).toBe(true);
    expect(done.status).toBe('cancelled');
    expect(done.cancellable).toBe(false);
    expect(done.error?.code).toBe('CANCELLED');
    // cancelling a finished task is a no-op
    await tasks.cancel(t.id);
  });

  it('refuses to cancel a task that cannot be cancelled, and unknown tasks', async () => {
    const tasks = new TaskManager({ emit: () => undefined });
    let finish!: () => void;
    const t = tasks.start(target, () => new Promise<void>((r) => (finish = r)));
    await expect(tasks.cancel(t.id)).rejects.toMatchObject({ info: { code: 'UNSUPPORTED' } });
    await expect(tasks.cancel('nope')).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
    finish();
    expect((await tasks.whenDone(t.id)).status).toBe('success');
  });

  it('a task that finishes before the cancel takes effect stays a success', async () => {
    const tasks = new TaskManager({ emit: () => undefined });
    let finish!: () => void;
    const t = tasks.start(target, (r) => {
      r.setCancellable(async () => {
        finish(); // the server says: too late, it is done
      });
      return new Promise<void>((res) => (finish = res));
    });
    await sleep(1);
    await tasks.cancel(t.id);
    // cancelRequested is set, but the work resolved: the server finished it
    const done = await tasks.whenDone(t.id);
    expect(done.status).toBe('success');
  });

  it('keeps a bounded number of finished tasks and clears them on request', async () => {
    const tasks = new TaskManager({ emit: () => undefined, maxFinished: 5 });
    let finishRunning!: () => void;
    const running = tasks.start(target, () => new Promise<void>((r) => (finishRunning = r)));
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const t = tasks.start({ ...target, targetName: `vm-${i}` }, async () => undefined);
      ids.push(t.id);
      await tasks.whenDone(t.id);
    }
    const list = tasks.list();
    expect(list).toHaveLength(6);
    expect(list.map((t) => t.id)).toEqual([running.id, ...ids.slice(-5)]);
    tasks.clearFinished();
    expect(tasks.list().map((t) => t.id)).toEqual([running.id]);
    finishRunning();
    await tasks.whenDone(running.id);
  });

  it('runs child steps as tasks under their parent; a failed child is an outcome, cancelling the parent aborts the running child', async () => {
    const { events, emit } = recorder();
    const tasks = new TaskManager({ emit, progressIntervalMs: 0 });
    let childSignal: AbortSignal | undefined;
    const outcomes: TaskInfo[] = [];
    const parent = tasks.start({ ...target, targetId: 's1:host:h1', targetName: 'host-01', action: 'evacuate' }, async (r) => {
      r.setCancellable(async () => undefined);
      outcomes.push(await r.child({ target: { nativeRef: 'vm-a', kind: 'vm' }, name: 'a', action: 'migrate' }, async () => undefined));
      outcomes.push(
        await r.child({ target: { nativeRef: 'vm-b', kind: 'vm' }, name: 'b', action: 'migrate' }, async () => {
          throw new PolyvisorError({ code: 'SERVER_ERROR', message: 'no room', serverCode: 'HOST_NOT_ENOUGH_FREE_MEMORY' });
        }),
      );
      outcomes.push(
        await r.child({ target: { nativeRef: 'vm-c', kind: 'vm' }, name: 'c', action: 'migrate' }, (c) => {
          childSignal = c.signal;
          return new Promise((_, reject) => c.signal.addEventListener('abort', () => reject(new PolyvisorError({ code: 'CANCELLED', message: 'stopped' }))));
        }),
      );
      // a parent stops where it is when cancelled (a provider's evacuation starts no further step)
      if (r.signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'Evacuation cancelled.' });
    });
    await sleep(20);
    await tasks.cancel(parent.id);
    const done = await tasks.whenDone(parent.id);
    expect(done.status).toBe('cancelled');
    expect(childSignal?.aborted).toBe(true);
    expect(outcomes.map((o) => [o.targetId, o.status, o.parentId, o.error?.serverCode])).toEqual([
      ['s1:vm:vm-a', 'success', parent.id, undefined],
      ['s1:vm:vm-b', 'failure', parent.id, 'HOST_NOT_ENOUGH_FREE_MEMORY'],
      ['s1:vm:vm-c', 'cancelled', parent.id, undefined],
    ]);
    expect(new Set(events.filter((e) => e.parentId === parent.id).map((e) => e.targetName))).toEqual(new Set(['a', 'b', 'c']));
  });
});
