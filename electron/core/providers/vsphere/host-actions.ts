// What a user asks of a vSphere host (issue 13):
//   maintenance_enter  every powered-on VM moved to another host of the cluster (one child
//                      task each), then EnterMaintenanceMode_Task. Without DRS vSphere itself
//                      moves nothing: its task waits until the VMs are gone, so Polyvisor moves them.
//   maintenance_exit   ExitMaintenanceMode_Task
//   evacuate           the same moves, the host stays out of Maintenance Mode
//   host_reboot/host_shutdown  RebootHost_Task/ShutdownHost_Task with vSphere's own `force`;
//                      outside Maintenance Mode vSphere takes them only forced, so Polyvisor asks
//                      for force first. vcsim 0.24 has neither method (MethodNotFound).
//   host_power_on      PowerUpHostFromStandBy_Task (a host in standby; vcsim 0.24 lacks it too)

import { PolyvisorError, type ErrorInfo } from '../../../../shared/errors';
import type { ActionName } from '../../../../shared/model';
import { taskStep } from '../common/task-steps';
import type { ActionResult, ProviderActionParams, TaskReporter } from '../provider';
import { unsupportedWhenMissing } from './faults';
import { evacuationPlan, relocateVm, type EvacuationStep, type MigrationContext } from './migration';
import { HOST_METHODS, type HostFacts } from './migration-rules';
import { followTask, taskRef } from './tasks';
import { el, type Xml } from './xml';

/** Time PowerUpHostFromStandBy_Task gives the host to send its first heartbeat. */
const POWER_UP_TIMEOUT_S = 600;

export async function runHostAction(ctx: MigrationContext, hostRef: string, action: ActionName, params: ProviderActionParams, task: TaskReporter): Promise<ActionResult> {
  const host = ctx.model?.host(hostRef);
  if (!host) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Host ${hostRef} is not in the inventory.` });
  switch (action) {
    case 'maintenance_enter':
      await moveRunningVms(ctx, host, 'enter Maintenance Mode', taskStep(task, 0, 0.9));
      await runHostTask(ctx, host, 'maintenance_enter', [el('timeout', 0)], taskStep(task, 0.9, 1));
      return {};
    case 'maintenance_exit':
      await runHostTask(ctx, host, action, [el('timeout', 0)], task);
      return {};
    case 'evacuate':
      await moveRunningVms(ctx, host, 'be evacuated', task);
      task.progress(1);
      return {};
    case 'host_reboot':
    case 'host_shutdown': {
      const force = params.force === true;
      if (!host.inMaintenance && !force) {
        const verb = action === 'host_reboot' ? 'restarts' : 'shuts down';
        throw new PolyvisorError({
          code: 'INVALID_INPUT',
          field: 'force',
          message: `${host.name} is not in Maintenance Mode: vSphere ${verb} a host outside Maintenance Mode only when forced, with its virtual machines still running.`,
        });
      }
      await runHostTask(ctx, host, action, [el('force', force)], task);
      return {};
    }
    case 'host_power_on':
      await runHostTask(ctx, host, action, [el('timeoutSec', POWER_UP_TIMEOUT_S)], task);
      return {};
    default:
      throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${action.replace('_', ' ')} does not apply to a host.` });
  }
}

async function runHostTask(ctx: MigrationContext, host: HostFacts, action: keyof typeof HOST_METHODS, args: Xml[], task: TaskReporter): Promise<void> {
  const { method, verb } = HOST_METHODS[action];
  let returned;
  try {
    returned = await ctx.client.call(method, { type: 'HostSystem', value: host.ref }, args);
  } catch (err) {
    throw unsupportedWhenMissing(err, method, `This server cannot ${verb} ${host.name}`);
  }
  await followTask(ctx.client, taskRef(returned, method), task, `${method} (${host.name})`);
}

/**
 * Moves each powered-on VM of the host as the evacuation plan says, one child task after the other.
 * Nothing starts when a VM has nowhere to go; a move that fails, or a cancel, stops the rest.
 */
async function moveRunningVms(ctx: MigrationContext, host: HostFacts, purpose: string, task: TaskReporter): Promise<void> {
  const steps = evacuationPlan(ctx.model!, host.ref);
  const stuck = steps.filter((s) => !s.target);
  if (stuck.length) {
    const list = stuck.map((s) => `${s.vm.name}: ${s.reason?.message ?? 'no target'}`).join('; ');
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${host.name} cannot ${purpose}: ${stuck.length} running VM(s) cannot move (${list})` });
  }
  for (const [i, step] of steps.entries()) {
    if (task.signal.aborted) throw cancelled(host, i, steps.length);
    const outcome = await task.child({ target: { nativeRef: step.vm.ref, kind: 'vm' }, name: step.vm.name, action: 'migrate' }, (reporter) =>
      relocateVm(ctx, step.vm.ref, step.target!.ref, undefined, reporter),
    );
    if (outcome.status !== 'success') {
      if (outcome.error?.code === 'CANCELLED' || task.signal.aborted) throw cancelled(host, i, steps.length);
      throw moveFailed(host, purpose, step, outcome.error);
    }
    task.progress((i + 1) / steps.length);
  }
}

function cancelled(host: HostFacts, done: number, total: number): PolyvisorError {
  return new PolyvisorError({ code: 'CANCELLED', message: `Cancelled on ${host.name} after ${done} of ${total} VM(s) had moved.` });
}

function moveFailed(host: HostFacts, purpose: string, step: EvacuationStep, error: ErrorInfo | undefined): PolyvisorError {
  const message = `${host.name} cannot ${purpose}: moving ${step.vm.name} to ${step.target!.name} failed${error ? `: ${error.message}` : ''}`;
  return new PolyvisorError({ ...(error ?? { code: 'SERVER_ERROR' }), message });
}
