// Async.* calls: a task record that goes pending → success | failure |
// cancelled, its progress advancing in steps (each a `mod` event), the
// operation applied only at the end (so a cancelled task changes nothing).
// task.result holds the XML-RPC encoding of the result, as xapi stores it.
import type { CallContext, MethodDef, OperationLock } from './core';
import { XapiFailure } from './failure';
import { EPOCH } from './model';

const STEPS = 4;

interface Running {
  timer?: NodeJS.Timeout;
  lock?: OperationLock;
}

const running = new WeakMap<object, Map<string, Running>>();

function runningOf(ctx: CallContext): Map<string, Running> {
  let m = running.get(ctx.core);
  if (!m) running.set(ctx.core, (m = new Map()));
  return m;
}

export function createTaskRecord(ctx: CallContext, label: string, description = ''): string {
  const { core } = ctx;
  return core.db.add('task', {
    name_label: label,
    name_description: description,
    allowed_operations: ['cancel'],
    current_operations: {},
    created: core.now(),
    finished: EPOCH,
    status: 'pending',
    resident_on: core.masterHost(),
    progress: 0,
    type: '<none/>',
    result: '',
    error_info: [],
    other_config: {},
  });
}

export function startTask(ctx: CallContext, def: MethodDef, args: unknown[]): string {
  const { core } = ctx;
  const taskRef = createTaskRecord(ctx, `Async.${def.name}`);
  const taskCtx: CallContext = { ...ctx, taskRef };
  const state: Running = {};
  runningOf(ctx).set(taskRef, state);

  let lock: OperationLock | void;
  try {
    lock = def.precheck?.(taskCtx, args);
  } catch (e) {
    state.timer = setTimeout(() => finish(taskCtx, taskRef, e), 0);
    return taskRef;
  }
  if (lock) {
    state.lock = lock;
    acquire(taskCtx, lock, taskRef);
  }
  const stepMs = Math.max(1, core.opts.taskDurationMs / STEPS);
  let step = 0;
  const tick = async () => {
    step++;
    if (!core.db.get('task', taskRef)) return; // destroyed meanwhile
    if (step < STEPS) {
      core.db.set('task', taskRef, 'progress', step / STEPS);
      state.timer = setTimeout(tick, stepMs);
      return;
    }
    release(taskCtx, state);
    try {
      core.takeFailure(def.name);
      const value = await def.run(taskCtx, args);
      finish(taskCtx, taskRef, undefined, def, value);
    } catch (e) {
      finish(taskCtx, taskRef, e);
    }
  };
  state.timer = setTimeout(tick, stepMs);
  return taskRef;
}

function acquire(ctx: CallContext, lock: OperationLock, taskRef: string): void {
  const rec = ctx.core.db.get(lock.cls, lock.ref);
  if (!rec) return;
  const ops = { ...(rec.current_operations as Record<string, string>), [taskRef]: lock.op };
  ctx.core.db.update(lock.cls, lock.ref, { current_operations: ops, allowed_operations: [] });
}

function release(ctx: CallContext, state: Running): void {
  const lock = state.lock;
  state.lock = undefined;
  if (!lock || !ctx.taskRef) return;
  const rec = ctx.core.db.get(lock.cls, lock.ref);
  if (!rec) return;
  const ops = { ...(rec.current_operations as Record<string, string>) };
  delete ops[ctx.taskRef];
  ctx.core.db.update(lock.cls, lock.ref, { current_operations: ops });
  ctx.core.emitAllowedOperations(lock.cls, lock.ref);
}

function finish(ctx: CallContext, taskRef: string, error: unknown, def?: MethodDef, value?: unknown): void {
  const { core } = ctx;
  runningOf(ctx).delete(taskRef);
  if (!core.db.get('task', taskRef)) return;
  if (error !== undefined) {
    const description =
      error instanceof XapiFailure ? error.description : ['INTERNAL_ERROR', error instanceof Error ? error.message : String(error)];
    core.db.update('task', taskRef, {
      status: 'failure',
      progress: 1,
      finished: core.now(),
      allowed_operations: [],
      error_info: description,
    });
    return;
  }
  const type = def ? core.resultTypeOf(def) : { kind: 'void' as const };
  let result = '';
  if (type !== 'eventBatch' && type.kind !== 'void' && value !== undefined) {
    result = core.xml.forType(type)(value);
  }
  core.db.update('task', taskRef, {
    status: 'success',
    progress: 1,
    finished: core.now(),
    allowed_operations: [],
    result,
  });
}

/** task.cancel: only while pending; the operation is never applied. */
export function cancelTask(ctx: CallContext, taskRef: string): void {
  const { core } = ctx;
  const task = core.db.get('task', taskRef)!;
  if (task.status !== 'pending' || !(task.allowed_operations as string[]).includes('cancel')) {
    throw new XapiFailure('OPERATION_NOT_ALLOWED', 'task is not pending');
  }
  const state = runningOf(ctx).get(taskRef);
  if (state) {
    clearTimeout(state.timer);
    release({ ...ctx, taskRef }, state);
    runningOf(ctx).delete(taskRef);
  }
  core.db.update('task', taskRef, {
    status: 'cancelled',
    finished: core.now(),
    allowed_operations: [],
    error_info: ['TASK_CANCELLED', taskRef],
  });
}

/** Stops every pending task timer (restart/stop). */
export function abortAllTasks(core: object): void {
  const m = running.get(core);
  if (!m) return;
  for (const s of m.values()) clearTimeout(s.timer);
  m.clear();
}
