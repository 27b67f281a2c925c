// Normalized actions → vim25 methods on a VirtualMachine or VirtualMachineSnapshot.

import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError } from '../../../../shared/errors';
import { nodeId, type ActionName } from '../../../../shared/model';
import type { ActionResult, TaskReporter } from '../provider';
import { followTask, taskRef } from './tasks';
import type { VimClient } from './vim-client';
import { el, type ManagedObjectReference, type Xml } from './xml';

export interface ActionContext {
  serverId: string;
  client: VimClient;
  /** the VM's current power state as the inventory knows it (poweredOn/poweredOff/suspended) */
  powerStateOf(vm: string): string | undefined;
}

interface MethodCall {
  method: string;
  args: Xml[];
  /** methods without the _Task suffix finish when they return */
  isTask: boolean;
}

const POWER_METHODS: Partial<Record<ActionName, string>> = {
  start: 'PowerOnVM_Task',
  resume: 'PowerOnVM_Task',
  force_shutdown: 'PowerOffVM_Task',
  shutdown: 'ShutdownGuest',
  reboot: 'RebootGuest',
  force_reboot: 'ResetVM_Task',
  suspend: 'SuspendVM_Task',
};

const DESCRIPTIONS: Partial<Record<ActionName, string>> = {
  start: 'Power on',
  resume: 'Resume',
  force_shutdown: 'Power off',
  shutdown: 'Shut down guest',
  reboot: 'Restart guest',
  force_reboot: 'Reset',
  suspend: 'Suspend',
  snapshot_create: 'Take snapshot',
  snapshot_revert: 'Revert to snapshot',
  snapshot_delete: 'Delete snapshot',
};

export async function runVsphereAction(
  ctx: ActionContext,
  target: { nativeRef: string; kind: string },
  action: ActionName,
  params: ActionParams,
  task: TaskReporter,
): Promise<ActionResult> {
  const { ref, call } = plan(ctx, target, action, params);
  const what = describe(action, target);
  const returned = await ctx.client.call(call.method, ref, call.args);
  if (!call.isTask) {
    task.progress(1);
    return {};
  }
  const outcome = await followTask(ctx.client, taskRef(returned, call.method), task, what);
  if (action === 'snapshot_create' && outcome.resultRef) {
    return { resultId: nodeId(ctx.serverId, 'snapshot', outcome.resultRef.value) };
  }
  return {};
}

function plan(
  ctx: ActionContext,
  target: { nativeRef: string; kind: string },
  action: ActionName,
  params: ActionParams,
): { ref: ManagedObjectReference; call: MethodCall } {
  const isVm = target.kind === 'vm' || target.kind === 'template';
  const vm: ManagedObjectReference = { type: 'VirtualMachine', value: target.nativeRef };
  const snapshot: ManagedObjectReference = { type: 'VirtualMachineSnapshot', value: target.nativeRef };

  if (action === 'snapshot_create') {
    requireKind(isVm, action, target);
    const running = ctx.powerStateOf(target.nativeRef) === 'poweredOn';
    const name = params.name?.trim() || `Snapshot ${new Date().toISOString().replace('T', ' ').slice(0, 19)}`;
    return {
      ref: vm,
      call: {
        method: 'CreateSnapshot_Task',
        // vSphere rejects memory snapshots of a VM that is not running: only ask when it is
        args: [el('name', name), el('description', params.description ?? ''), el('memory', params.memory === true && running), el('quiesce', params.quiesce === true)],
        isTask: true,
      },
    };
  }
  if (action === 'snapshot_revert') {
    requireKind(target.kind === 'snapshot', action, target);
    return { ref: snapshot, call: { method: 'RevertToSnapshot_Task', args: [], isTask: true } };
  }
  if (action === 'snapshot_delete') {
    if (isVm) return { ref: vm, call: { method: 'RemoveAllSnapshots_Task', args: [], isTask: true } };
    requireKind(target.kind === 'snapshot', action, target);
    return { ref: snapshot, call: { method: 'RemoveSnapshot_Task', args: [el('removeChildren', params.withChildren === true)], isTask: true } };
  }
  const method = POWER_METHODS[action];
  if (!method) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: `vSphere has no "${action}" action for virtual machines.` });
  }
  requireKind(isVm, action, target);
  return { ref: vm, call: { method, args: [], isTask: method.endsWith('_Task') } };
}

function requireKind(ok: boolean, action: ActionName, target: { kind: string }): void {
  if (!ok) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${action.replace('_', ' ')} does not apply to a ${target.kind}.` });
}

function describe(action: ActionName, target: { nativeRef: string; kind: string }): string {
  return `${DESCRIPTIONS[action] ?? action} (${target.kind} ${target.nativeRef})`;
}
