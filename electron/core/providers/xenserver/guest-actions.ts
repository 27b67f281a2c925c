// Clone, convert and delete, as the tree's actions:
//   clone        VM.clone (fast: copy-on-write disks on the same SR) or, with params.full,
//                VM.copy to params.storageId or the SR of the original's first disk
//   to_template  VM.set_is_a_template true (xapi: halted VMs only, operation make_into_template)
//   to_vm        VM.set_is_a_template false: xapi allows it (XenCenter offers no command for it);
//                a built-in template is left alone — make a VM from it instead
//   destroy      vm-removal.ts (params.keepDisks, params.force)

import type { ActionParams } from '../../../../shared/contract';
import { PolyvisorError } from '../../../../shared/errors';
import { nodeId, type LifecycleAction } from '../../../../shared/model';
import type { ActionResult, TaskReporter } from '../provider';
import type { ActionContext } from './actions';
import { bool, isRef, map, refs, str, type XapiRecord } from './records';
import { followTask } from './tasks';
import { destroyWithDisks } from './vm-removal';

const NULL_REF = 'OpaqueRef:NULL';

export async function runLifecycleAction(
  ctx: ActionContext,
  target: { nativeRef: string; kind: string },
  action: LifecycleAction,
  params: ActionParams,
  task: TaskReporter,
): Promise<ActionResult> {
  const kinds = action === 'to_template' ? ['vm'] : action === 'to_vm' ? ['template'] : ['vm', 'template'];
  if (!kinds.includes(target.kind)) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${action} applies to a ${kinds.join(' or ')}, not to a ${target.kind}.` });
  }
  const session = ctx.session();
  switch (action) {
    case 'clone':
      return cloneGuest(ctx, target, params, task);
    case 'to_template':
      await session.call('VM.set_is_a_template', target.nativeRef, true);
      task.progress(1);
      return { resultId: nodeId(ctx.serverId, 'template', target.nativeRef) };
    case 'to_vm': {
      const record = map(await session.call('VM.get_record', target.nativeRef));
      if (bool(record.is_default_template) || bool(map(record.other_config).default_template)) {
        throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${str(record.name_label)} is a built-in template: make a new VM from it instead.` });
      }
      await session.call('VM.set_is_a_template', target.nativeRef, false);
      task.progress(1);
      return { resultId: nodeId(ctx.serverId, 'vm', target.nativeRef) };
    }
    case 'destroy':
      await destroyWithDisks(ctx, target.nativeRef, { keepDisks: params.keepDisks, force: params.force }, task);
      return {};
  }
}

async function cloneGuest(ctx: ActionContext, target: { nativeRef: string; kind: string }, params: ActionParams, task: TaskReporter): Promise<ActionResult> {
  const session = ctx.session();
  const record = map(await session.call('VM.get_record', target.nativeRef));
  const name = params.name?.trim() || `Copy of ${str(record.name_label)}`;
  const taskRef = params.full
    ? await session.call<string>('Async.VM.copy', target.nativeRef, name, params.storageId ?? (await firstDiskSr(ctx, record)))
    : await session.call<string>('Async.VM.clone', target.nativeRef, name);
  const copy = await followTask(ctx.session, taskRef, task, { pollMs: ctx.taskPollMs });
  if (params.description !== undefined) await session.call('VM.set_name_description', copy, params.description);
  task.progress(1);
  return { resultId: nodeId(ctx.serverId, target.kind === 'template' ? 'template' : 'vm', copy) };
}

/** The SR of the first disk; a VM without disks copies to no SR in particular (OpaqueRef:NULL). */
async function firstDiskSr(ctx: ActionContext, record: XapiRecord): Promise<string> {
  for (const vbd of refs(record.VBDs)) {
    const r = map(await ctx.session().call('VBD.get_record', vbd));
    if (str(r.type) === 'Disk' && isRef(r.VDI)) return ctx.session().call<string>('VDI.get_SR', r.VDI);
  }
  return NULL_REF;
}
