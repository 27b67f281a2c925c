// Moving a VM within the pool and the host actions, as XenCenter performs them:
// a live VM.pool_migrate; maintenance mode = host.disable, every running VM moved
// away (one child task each, where the evacuation plan sends it), then the
// MAINTENANCE_MODE mark in the host's other_config; exit = host.enable and the mark
// cleared; evacuate = the same moves with the host left enabled; reboot / shut down
// only an empty host (or, forced, after shutting its VMs down), on a disabled host
// as xapi requires; power on where the host has a power-on mode.

import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import type { HostAction } from '../../../../shared/model';
import type { ActionResult, ProviderActionParams, TaskReporter } from '../provider';
import type { ActionContext } from './actions';
import { planEvacuation, runningGuests } from './migration';
import { bool, str } from './records';
import { followTask } from './tasks';

/** XenCenter's mark of a host in maintenance mode (other_config key). */
export const MAINTENANCE_KEY = 'MAINTENANCE_MODE';

function cancelled(): PolyvisorError {
  return new PolyvisorError({ code: 'CANCELLED', message: 'The operation was cancelled.' });
}

function vmName(ctx: ActionContext, vmRef: string): string {
  return str(ctx.tracker.cache.vm.get(vmRef)?.name_label) || vmRef;
}

function hostName(ctx: ActionContext, hostRef: string): string {
  return str(ctx.tracker.cache.host.get(hostRef)?.name_label) || hostRef;
}

/** A live move of one VM to another host of the pool; cancel cancels the server's task. */
export async function migrateVm(ctx: ActionContext, vmRef: string, hostRef: string | undefined, task: TaskReporter): Promise<ActionResult> {
  if (!hostRef) throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'Choose the host to move the VM to.', field: 'targetId' });
  if (task.signal.aborted) throw cancelled();
  const taskRef = await ctx.session().call<string>('Async.VM.pool_migrate', vmRef, hostRef, { live: 'true' });
  await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs });
  return {};
}

/**
 * Moves every running VM off the host, one child task each, where the evacuation plan
 * sends it. Nothing starts when a VM cannot move (its reason is the error); a parent
 * that is cancelled starts no further move.
 */
async function moveAllAway(ctx: ActionContext, hostRef: string, task: TaskReporter, before?: () => Promise<void>): Promise<void> {
  const plan = await planEvacuation(ctx, hostRef);
  const blocked = plan.find((step) => step.reason);
  if (blocked) {
    const reason = blocked.reason!;
    throw new PolyvisorError({ ...reason, message: `${vmName(ctx, blocked.vmRef)} cannot leave ${hostName(ctx, hostRef)}: ${reason.message}` });
  }
  await before?.();
  // the children's own tasks are what the server cancels; the parent only stops starting new ones
  task.setCancellable(async () => undefined);
  const failed: string[] = [];
  let firstError: PolyvisorError | undefined;
  for (let i = 0; i < plan.length; i++) {
    if (task.signal.aborted) throw cancelled();
    const { vmRef, hostRef: target } = plan[i]!;
    const outcome = await task.child({ target: { nativeRef: vmRef, kind: 'vm' }, name: vmName(ctx, vmRef), action: 'migrate' }, (r) => migrateVm(ctx, vmRef, target, r));
    if (outcome.status !== 'success') {
      failed.push(vmName(ctx, vmRef));
      if (outcome.error && !firstError) firstError = new PolyvisorError(outcome.error);
    }
    task.progress((i + 1) / plan.length);
  }
  task.setCancellable(null);
  if (task.signal.aborted) throw cancelled();
  if (failed.length) {
    const info = firstError?.info;
    throw new PolyvisorError({ ...(info ?? { code: 'SERVER_ERROR' }), message: `${failed.join(', ')} could not be moved off ${hostName(ctx, hostRef)}${info ? `: ${info.message}` : '.'}` });
  }
}

async function enterMaintenance(ctx: ActionContext, hostRef: string, task: TaskReporter): Promise<void> {
  const session = ctx.session();
  let disabled = false;
  try {
    await moveAllAway(ctx, hostRef, task, async () => {
      await session.call('host.disable', hostRef);
      disabled = true;
    });
    await setMark(ctx, hostRef, true);
  } catch (err) {
    // as XenCenter's EvacuateHostAction: a host that could not be emptied is enabled again
    if (disabled) await reEnable(ctx, hostRef, err);
    throw err;
  }
}

/** Enables the host again after `cause`; when that fails too, both are said in one error. */
async function reEnable(ctx: ActionContext, hostRef: string, cause: unknown): Promise<void> {
  try {
    await ctx.session().call('host.enable', hostRef);
  } catch (err) {
    const first = toErrorInfo(cause);
    throw new PolyvisorError({ ...first, message: `${first.message} ${hostName(ctx, hostRef)} stays disabled: ${toErrorInfo(err).message}` }, { cause });
  }
}

async function setMark(ctx: ActionContext, hostRef: string, on: boolean): Promise<void> {
  const session = ctx.session();
  await session.call('host.remove_from_other_config', hostRef, MAINTENANCE_KEY);
  if (on) await session.call('host.add_to_other_config', hostRef, MAINTENANCE_KEY, 'true');
}

async function exitMaintenance(ctx: ActionContext, hostRef: string): Promise<void> {
  await ctx.session().call('host.enable', hostRef);
  await setMark(ctx, hostRef, false);
}

/** Shuts the host's VMs down (clean, else hard), one child task each: a forced reboot or shutdown. */
async function shutDownGuests(ctx: ActionContext, hostRef: string, task: TaskReporter): Promise<void> {
  for (const vmRef of runningGuests(ctx.tracker.cache, hostRef)) {
    if (task.signal.aborted) throw cancelled();
    const outcome = await task.child({ target: { nativeRef: vmRef, kind: 'vm' }, name: vmName(ctx, vmRef), action: 'shutdown' }, async (r) => {
      const clean = await ctx.session().call<string>('Async.VM.clean_shutdown', vmRef);
      try {
        await followTask(ctx.session, clean, r, { pollMs: ctx.taskPollMs });
      } catch (err) {
        if (r.signal.aborted) throw err;
        const hard = await ctx.session().call<string>('Async.VM.hard_shutdown', vmRef);
        await followTask(ctx.session, hard, r, { pollMs: ctx.taskPollMs });
      }
    });
    if (outcome.status !== 'success') throw new PolyvisorError(outcome.error ?? { code: 'SERVER_ERROR', message: `${vmName(ctx, vmRef)} could not be shut down.` });
  }
}

async function powerOff(ctx: ActionContext, hostRef: string, action: 'host_reboot' | 'host_shutdown', params: ProviderActionParams, task: TaskReporter): Promise<void> {
  const running = runningGuests(ctx.tracker.cache, hostRef);
  const verb = action === 'host_reboot' ? 'reboot' : 'shut down';
  if (running.length && !params.force) {
    const names = running.map((vm) => vmName(ctx, vm)).join(', ');
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `VMs still run on ${hostName(ctx, hostRef)} (${names}): move them away first, or force the ${verb} to shut them down.`, field: 'force' });
  }
  if (running.length) await shutDownGuests(ctx, hostRef, task);
  // xapi reboots and shuts down disabled hosts only
  if (bool(ctx.tracker.cache.host.get(hostRef)?.enabled)) await ctx.session().call('host.disable', hostRef);
  const taskRef = await ctx.session().call<string>(action === 'host_reboot' ? 'Async.host.reboot' : 'Async.host.shutdown', hostRef);
  await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs });
}

export async function runHostAction(ctx: ActionContext, hostRef: string, action: HostAction, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
  if (task.signal.aborted) throw cancelled();
  switch (action) {
    case 'maintenance_enter':
      await enterMaintenance(ctx, hostRef, task);
      break;
    case 'maintenance_exit':
      await exitMaintenance(ctx, hostRef);
      break;
    case 'evacuate':
      await moveAllAway(ctx, hostRef, task);
      break;
    case 'host_reboot':
    case 'host_shutdown':
      await powerOff(ctx, hostRef, action, params, task);
      break;
    case 'host_power_on': {
      const taskRef = await ctx.session().call<string>('Async.host.power_on', hostRef);
      await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs });
      break;
    }
  }
  task.progress(1);
  return {};
}
