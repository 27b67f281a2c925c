// Snapshot actions beyond take and delete, as XenCenter performs them:
//   edit     = VM.set_name_label / set_name_description on the snapshot
//   clone    = "New VM from snapshot": VM.clone of the snapshot (a template), then
//              VM.provision, which makes it a VM (XenCenter's New VM wizard)
//   template = "Create template from snapshot": VM.clone of the snapshot, marked
//              other_config:instant like XenCenter's
//   revert   = VM.revert (VMSnapshotRevertAction); with snapshotFirst a disk snapshot
//              of the current state under the default name first; a VM that ran when
//              a checkpoint was taken is resumed where it ran (XenCenter resumes it too)

import type { ActionParams } from '../../../../shared/contract';
import { defaultSnapshotName } from '../../../../shared/descriptor';
import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import { nodeId } from '../../../../shared/model';
import { taskStep } from '../common/task-steps';
import type { ActionResult, TaskReporter } from '../provider';
import type { ActionContext } from './actions';
import { takeSnapshot } from './actions';
import { xenServerDescriptor } from './descriptor';
import { isXapiFailure } from './errors';
import { isRef, map, str } from './records';
import { followTask } from './tasks';

export async function editSnapshot(ctx: ActionContext, snapshotRef: string, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
  const name = params.name?.trim();
  if (params.name !== undefined && !name) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'name', message: 'The snapshot needs a name.' });
  if (name) await ctx.session().call('VM.set_name_label', snapshotRef, name);
  if (params.description !== undefined) await ctx.session().call('VM.set_name_description', snapshotRef, params.description);
  task.progress(1);
  return {};
}

/** A new VM (or a template) from the snapshot; `params.name` names it (default: the snapshot's name). */
export async function copySnapshot(ctx: ActionContext, snapshotRef: string, params: ActionParams, task: TaskReporter, asTemplate: boolean): Promise<ActionResult> {
  const snapshot = ctx.tracker.cache.vm.get(snapshotRef);
  const name = params.name?.trim() || (asTemplate ? `Template from snapshot '${str(snapshot?.name_label)}'` : str(snapshot?.name_label) || 'New VM');
  const cloneTask = await ctx.session().call<string>('Async.VM.clone', snapshotRef, name);
  const copy = await followTask(ctx.session, cloneTask, taskStep(task, 0, asTemplate ? 0.9 : 0.6), { pollMs: ctx.taskPollMs });
  try {
    if (asTemplate) {
      await ctx.session().call('VM.add_to_other_config', copy, 'instant', 'true');
    } else {
      const provision = await ctx.session().call<string>('Async.VM.provision', copy);
      await followTask(ctx.session, provision, taskStep(task, 0.6, 0.9), { pollMs: ctx.taskPollMs });
    }
    if (params.description !== undefined) await ctx.session().call('VM.set_name_description', copy, params.description);
  } catch (err) {
    const info = toErrorInfo(err);
    throw new PolyvisorError({ ...info, message: `"${name}" was cloned from the snapshot, but finishing it failed: ${info.message}` }, { cause: err });
  }
  task.progress(1);
  return { resultId: nodeId(ctx.serverId, asTemplate ? 'template' : 'vm', copy) };
}

export async function revertToSnapshot(ctx: ActionContext, snapshotRef: string, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
  const snapshot = ctx.tracker.cache.vm.get(snapshotRef);
  const vmRef = str(snapshot?.snapshot_of) || str(await ctx.session().call('VM.get_snapshot_of', snapshotRef));
  let result: ActionResult = {};
  let from = 0;
  if (params.snapshotFirst) {
    const vmName = str(ctx.tracker.cache.vm.get(vmRef)?.name_label) || 'VM';
    const name = defaultSnapshotName(xenServerDescriptor.snapshotName, vmName, new Date());
    result = await takeSnapshot(ctx, vmRef, { name }, taskStep(task, 0, 0.3));
    from = 0.3;
  }
  // where the VM runs now, to resume it there (XenCenter's previousHost)
  const residentOn = str(await ctx.session().call('VM.get_resident_on', vmRef));
  const revert = await ctx.session().call<string>('Async.VM.revert', snapshotRef);
  await followTask(ctx.session, revert, taskStep(task, from, 0.85), { pollMs: ctx.taskPollMs });
  await resumeIfCheckpointOfRunningVm(ctx, snapshotRef, vmRef, residentOn, taskStep(task, 0.85, 1));
  task.progress(1);
  return result;
}

/**
 * A checkpoint of a running VM leaves the VM suspended after the revert: resume it,
 * on the host it ran on when it can go there, else wherever xapi picks.
 */
async function resumeIfCheckpointOfRunningVm(ctx: ActionContext, snapshotRef: string, vmRef: string, previousHost: string, task: TaskReporter): Promise<void> {
  const info = map(await ctx.session().call('VM.get_snapshot_info', snapshotRef));
  if (str(info['power-state-at-snapshot']) !== 'Running') return;
  if (str(await ctx.session().call('VM.get_power_state', vmRef)) !== 'Suspended') return;
  if (isRef(previousHost)) {
    try {
      await followTask(ctx.session, await ctx.session().call<string>('Async.VM.resume_on', vmRef, previousHost, false, false), taskStep(task, 0, 0.5), { pollMs: ctx.taskPollMs });
      return;
    } catch (err) {
      // the old host cannot take it now (disabled, gone, full): resume it where the pool can
      if (!isXapiFailure(err) || isXapiFailure(err, 'TASK_CANCELLED')) throw err;
    }
  }
  await followTask(ctx.session, await ctx.session().call<string>('Async.VM.resume', vmRef, false, false), taskStep(task, 0.5, 1), { pollMs: ctx.taskPollMs });
}
