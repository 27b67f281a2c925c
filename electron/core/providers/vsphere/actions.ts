// Normalized actions → vim25 methods on a VirtualMachine or VirtualMachineSnapshot.

import { PolyvisorError } from '../../../../shared/errors';
import { nodeId, type ActionName } from '../../../../shared/model';
import { markDescription } from '../common/policy-mark';
import type { ActionResult, ProviderActionParams, TaskReporter } from '../provider';
import { GUEST_ACTIONS, runGuestAction } from './guest-actions';
import { runHostAction } from './host-actions';
import { relocateVm } from './migration';
import type { InventoryModel } from './inventory-model';
import { copySnapshot, editSnapshot, revertToSnapshot } from './snapshot-actions';
import { followTask, taskRef } from './tasks';
import type { VimClient } from './vim-client';
import { isTaskMethod, SNAPSHOT_METHODS, VM_METHODS, type VimMethod } from './vm-methods';
import { el, type ManagedObjectReference, type Xml } from './xml';

export interface ActionContext {
  serverId: string;
  client: VimClient;
  /** the session's inventory: power states, snapshot trees, where a VM lives */
  model: InventoryModel | null;
  /** reads these objects again and publishes them (after changes vcsim does not report) */
  reread(refs: ManagedObjectReference[]): Promise<void>;
  /** takes objects the server has just destroyed out of the tree without reading them */
  forget(refs: ManagedObjectReference[]): void;
}

interface Call {
  target: ManagedObjectReference;
  vim: VimMethod;
  args: Xml[];
}

export async function runVsphereAction(
  ctx: ActionContext,
  target: { nativeRef: string; kind: string },
  action: ActionName,
  params: ProviderActionParams,
  task: TaskReporter,
): Promise<ActionResult> {
  if (target.kind === 'host') return runHostAction(ctx, target.nativeRef, action, params, task);
  if (GUEST_ACTIONS.has(action)) return runGuestAction(ctx, target, action, params, task);
  if (action === 'migrate' && target.kind === 'vm') return relocateVm(ctx, target.nativeRef, params.targetRef, params.storageId, task);
  if (target.kind === 'snapshot') {
    switch (action) {
      case 'snapshot_revert':
        return revertToSnapshot(ctx, target.nativeRef, params, task);
      case 'snapshot_edit':
        return editSnapshot(ctx, target.nativeRef, params, task);
      case 'snapshot_clone':
      case 'snapshot_template':
        return copySnapshot(ctx, target.nativeRef, params, task, action === 'snapshot_template');
    }
  }
  const call = plan(ctx, target, action, params);
  const returned = await ctx.client.call(call.vim.method, call.target, call.args);
  if (!isTaskMethod(call.vim.method)) {
    task.progress(1);
    return {};
  }
  const what = `${call.vim.label} (${target.kind} ${target.nativeRef})`;
  const outcome = await followTask(ctx.client, taskRef(returned, call.vim.method), task, what);
  if (action === 'snapshot_create' && outcome.resultRef) {
    return { resultId: nodeId(ctx.serverId, 'snapshot', outcome.resultRef.value) };
  }
  return {};
}

function plan(ctx: ActionContext, target: { nativeRef: string; kind: string }, action: ActionName, params: ProviderActionParams): Call {
  const isVm = target.kind === 'vm' || target.kind === 'template';
  if (target.kind === 'snapshot') {
    const vim = SNAPSHOT_METHODS[action];
    if (!vim) throw notApplicable(action, target);
    const args = action === 'snapshot_delete' ? [el('removeChildren', params.withChildren === true)] : [];
    return { target: { type: 'VirtualMachineSnapshot', value: target.nativeRef }, vim, args };
  }
  const vim = VM_METHODS[action];
  if (!vim && !action.startsWith('snapshot_')) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: `vSphere has no "${action}" action for virtual machines.` });
  }
  if (!vim || !isVm) throw notApplicable(action, target);
  const vm: ManagedObjectReference = { type: 'VirtualMachine', value: target.nativeRef };
  if (action !== 'snapshot_create') return { target: vm, vim, args: [] };
  const running = ctx.model?.vmPowerState(target.nativeRef) === 'poweredOn';
  const name = params.name?.trim() || `Snapshot ${new Date().toISOString().replace('T', ' ').slice(0, 19)}`;
  // vSphere rejects memory snapshots of a VM that is not running: only ask when it is
  // a policy's snapshot: its tag on the description's last line, so retention finds only its own
  const description = markDescription(params.description, params.policyId);
  const args = [el('name', name), el('description', description), el('memory', params.memory === true && running), el('quiesce', params.quiesce === true)];
  return { target: vm, vim, args };
}

function notApplicable(action: ActionName, target: { kind: string }): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message: `${action.replace('_', ' ')} does not apply to a ${target.kind}.` });
}
