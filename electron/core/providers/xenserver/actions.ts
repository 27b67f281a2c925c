// Power and snapshot actions on VMs, as XenCenter performs them (the snapshot
// actions of more than one step are in snapshot-actions.ts).

import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError } from '../../../../shared/errors';
import { LIFECYCLE_ACTIONS, nodeId, type ActionName, type LifecycleAction, type PowerAction } from '../../../../shared/model';
import { isPowerAction, type ActionResult, type TaskReporter } from '../provider';
import { isXapiFailure } from './errors';
import type { InventoryTracker } from './inventory';
import { vmKind } from './mapping';
import { isRef, str, type XapiRecord } from './records';
import type { XapiSession } from './session';
import { runLifecycleAction } from './guest-actions';
import { copySnapshot, editSnapshot, revertToSnapshot } from './snapshot-actions';
import { followTask } from './tasks';

export interface ActionContext {
  serverId: string;
  /** the provider's current session (throws CONNECTION_FAILED while there is none) */
  session: () => XapiSession;
  tracker: InventoryTracker;
  taskPollMs: number;
}

const POWER_CALLS: Record<PowerAction, [method: string, extraArgs: unknown[]]> = {
  start: ['Async.VM.start', [false, false]],
  shutdown: ['Async.VM.clean_shutdown', []],
  force_shutdown: ['Async.VM.hard_shutdown', []],
  reboot: ['Async.VM.clean_reboot', []],
  force_reboot: ['Async.VM.hard_reboot', []],
  suspend: ['Async.VM.suspend', []],
  resume: ['Async.VM.resume', [false, false]],
  pause: ['Async.VM.pause', []],
  unpause: ['Async.VM.unpause', []],
};

export async function runVmAction(
  ctx: ActionContext,
  target: { nativeRef: string; kind: string },
  action: ActionName,
  params: ActionParams,
  task: TaskReporter,
): Promise<ActionResult> {
  if (task.signal.aborted) throw new PolyvisorError({ code: 'CANCELLED', message: 'The operation was cancelled.' });
  if (isPowerAction(action)) {
    expectKind(target, 'vm', action);
    const [method, extra] = POWER_CALLS[action];
    const taskRef = await ctx.session().call<string>(method, target.nativeRef, ...extra);
    await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs });
    return {};
  }
  if ((LIFECYCLE_ACTIONS as readonly string[]).includes(action)) return runLifecycleAction(ctx, target, action as LifecycleAction, params, task);
  switch (action) {
    case 'snapshot_create':
      expectKind(target, 'vm', action);
      // params.policyId is not written anywhere: a schedule's snapshots are the server's (is_vmss_snapshot)
      return takeSnapshot(ctx, target.nativeRef, params, task);
    case 'snapshot_revert':
      expectKind(target, 'snapshot', action);
      return revertToSnapshot(ctx, target.nativeRef, params, task);
    case 'snapshot_edit':
      expectKind(target, 'snapshot', action);
      return editSnapshot(ctx, target.nativeRef, params, task);
    case 'snapshot_clone':
    case 'snapshot_template':
      expectKind(target, 'snapshot', action);
      return copySnapshot(ctx, target.nativeRef, params, task, action === 'snapshot_template');
    case 'snapshot_delete': {
      expectKind(target, 'snapshot', action);
      const victims = params.withChildren ? descendantsFirst(ctx.tracker, target.nativeRef) : [target.nativeRef];
      for (let i = 0; i < victims.length; i++) {
        await deleteSnapshot(ctx, victims[i]!, task, [i / victims.length, (i + 1) / victims.length]);
      }
      return {};
    }
    default:
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `The action ${action} is not available for XenServer yet.` });
  }
}

function expectKind(target: { kind: string }, kind: string, action: ActionName): void {
  if (target.kind !== kind) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${action} applies to a ${kind}, not to a ${target.kind}.` });
  }
}

export async function takeSnapshot(
  ctx: ActionContext,
  vmRef: string,
  params: ActionParams,
  task: TaskReporter,
): Promise<ActionResult> {
  if (params.quiesce) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'Quiesced snapshots are not offered by current XenServer/XCP-ng releases.' });
  }
  const vm = ctx.tracker.cache.vm.get(vmRef);
  const name = params.name?.trim() || `${str(vm?.name_label) || 'VM'} ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`;
  const taskRef = params.memory
    ? await ctx.session().call<string>('Async.VM.checkpoint', vmRef, name)
    : await callSnapshot(ctx.session(), vmRef, name);
  const snapshotRef = await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs, range: [0, 0.95] });
  if (params.description) await ctx.session().call('VM.set_name_description', snapshotRef, params.description);
  task.progress(1);
  return { resultId: nodeId(ctx.serverId, 'snapshot', snapshotRef) };
}

/** VM.snapshot gained `ignore_vdis` in later releases; older hosts take two arguments. */
async function callSnapshot(session: XapiSession, vmRef: string, name: string): Promise<string> {
  try {
    return await session.call<string>('Async.VM.snapshot', vmRef, name);
  } catch (err) {
    if (!isXapiFailure(err, 'MESSAGE_PARAMETER_COUNT_MISMATCH')) throw err;
    return session.call<string>('Async.VM.snapshot', vmRef, name, []);
  }
}

/**
 * Like XenCenter's VMSnapshotDeleteAction: note the snapshot's own disks (and the
 * memory image of a checkpoint) first, destroy the snapshot VM, then those VDIs —
 * unless another VM still uses one.
 */
export async function deleteSnapshot(
  ctx: ActionContext,
  snapshotRef: string,
  task: TaskReporter,
  [from, to]: [number, number],
): Promise<void> {
  const session = ctx.session();
  const vdis: string[] = [];
  for (const vbd of await session.call<string[]>('VM.get_VBDs', snapshotRef)) {
    const record = await session.call<XapiRecord>('VBD.get_record', vbd);
    if (str(record.type) === 'Disk' && isRef(record.VDI) && !vdis.includes(record.VDI)) vdis.push(record.VDI);
  }
  const suspendVdi = await session.call<string>('VM.get_suspend_VDI', snapshotRef);
  if (isRef(suspendVdi) && !vdis.includes(suspendVdi)) vdis.push(suspendVdi);

  const split = from + (to - from) * 0.8;
  const taskRef = await session.call<string>('Async.VM.destroy', snapshotRef);
  await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs, range: [from, split] });

  let firstFailure: unknown;
  for (let i = 0; i < vdis.length; i++) {
    const vdi = vdis[i]!;
    try {
      const users = await ctx.session().call<string[]>('VDI.get_VBDs', vdi);
      if (users.length === 0) await ctx.session().call('VDI.destroy', vdi);
    } catch (err) {
      if (!isXapiFailure(err, 'HANDLE_INVALID')) firstFailure ??= err;
    }
    task.progress(split + ((to - split) * (i + 1)) / vdis.length);
  }
  task.progress(to);
  if (firstFailure) throw firstFailure;
}

/** The snapshot and every snapshot taken from it, children before parents. */
function descendantsFirst(tracker: InventoryTracker, ref: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (r: string, depth: number) => {
    // the parent links come from the server: a cycle or a runaway chain must not loop
    if (depth > 1000 || seen.has(r)) return;
    seen.add(r);
    for (const child of tracker.childSnapshots(r)) visit(child, depth + 1);
    const record = tracker.cache.vm.get(r);
    if (!record || vmKind(record) === 'snapshot') out.push(r);
  };
  visit(ref, 0);
  return out;
}
