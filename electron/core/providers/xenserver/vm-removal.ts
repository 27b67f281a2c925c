// Deleting a VM or template as XenCenter's "Delete VM" dialog does it: what would go
// (its own disks with their SR and size, its snapshots), then — forced off first
// when asked — its snapshots with their disks, the VM (VM.destroy, which leaves
// every VDI in place), and its own disks unless they are kept. A disk another VM
// also uses is listed with those VMs and never destroyed.

import type { DeleteItem } from '../../../../shared/guests';
import type { TaskReporter } from '../provider';
import { taskStep } from '../common/task-steps';
import { deleteSnapshot, type ActionContext } from './actions';
import { isXapiFailure } from './errors';
import { isRef, num, refs, str, type XapiRecord, map } from './records';
import { followTask } from './tasks';

interface DiskUse {
  vdi: string;
  name: string;
  sizeBytes?: number;
  storageName?: string;
  /** names of the other VMs using the disk */
  sharedWith: string[];
}

/** The VM's disks (Disk VBDs, and the memory image of a suspended VM), each with the other VMs using it. */
async function disksOf(ctx: ActionContext, vm: string, record: XapiRecord): Promise<DiskUse[]> {
  const session = ctx.session();
  const vdis: string[] = [];
  for (const vbd of refs(record.VBDs)) {
    const r = map(await session.call('VBD.get_record', vbd));
    if (str(r.type) === 'Disk' && isRef(r.VDI) && !vdis.includes(r.VDI)) vdis.push(r.VDI);
  }
  if (isRef(record.suspend_VDI) && !vdis.includes(record.suspend_VDI)) vdis.push(record.suspend_VDI);
  const srNames = new Map<string, string>();
  const out: DiskUse[] = [];
  for (const vdi of vdis) {
    const r = map(await session.call('VDI.get_record', vdi));
    const sharedWith: string[] = [];
    for (const vbd of refs(r.VBDs)) {
      const user = await session.call<string>('VBD.get_VM', vbd);
      if (user === vm) continue;
      const name = str(await session.call('VM.get_name_label', user));
      if (!sharedWith.includes(name)) sharedWith.push(name);
    }
    const sr = isRef(r.SR) ? r.SR : undefined;
    if (sr && !srNames.has(sr)) srNames.set(sr, str(await session.call('SR.get_name_label', sr)));
    out.push({
      vdi,
      name: str(r.name_label),
      sizeBytes: num(r.virtual_size) ?? undefined,
      storageName: sr ? srNames.get(sr) : undefined,
      sharedWith,
    });
  }
  return out;
}

export async function deletePlan(ctx: ActionContext, vm: string): Promise<Pick<DeleteItem, 'snapshots' | 'disks'>> {
  const record = map(await ctx.session().call('VM.get_record', vm));
  const disks = await disksOf(ctx, vm, record);
  return {
    snapshots: refs(record.snapshots).length,
    disks: disks.map(({ vdi: _vdi, sharedWith, ...disk }) => ({ ...disk, ...(sharedWith.length ? { sharedWith } : {}) })),
  };
}

export async function destroyWithDisks(ctx: ActionContext, vm: string, opts: { keepDisks?: boolean; force?: boolean }, task: TaskReporter): Promise<void> {
  const session = ctx.session();
  const record = map(await session.call('VM.get_record', vm));
  const own = opts.keepDisks ? [] : (await disksOf(ctx, vm, record)).filter((d) => d.sharedWith.length === 0).map((d) => d.vdi);
  if (opts.force && str(record.power_state) !== 'Halted') {
    const off = await session.call<string>('Async.VM.hard_shutdown', vm);
    await followTask(ctx.session, off, taskStep(task, 0, 0.2), { pollMs: ctx.taskPollMs });
  }
  const snapshots = refs(record.snapshots);
  for (const [i, snapshot] of snapshots.entries()) {
    const share = 0.4 / snapshots.length;
    await deleteSnapshot(ctx, snapshot, task, [0.2 + i * share, 0.2 + (i + 1) * share]);
  }
  const destroy = await session.call<string>('Async.VM.destroy', vm);
  await followTask(ctx.session, destroy, taskStep(task, 0.6, 0.8), { pollMs: ctx.taskPollMs });
  let firstFailure: unknown;
  for (const vdi of own) {
    try {
      // still unused now that the VM is gone (another client may have attached it meanwhile)
      if ((await ctx.session().call<string[]>('VDI.get_VBDs', vdi)).length === 0) await ctx.session().call('VDI.destroy', vdi);
    } catch (err) {
      // a disk someone else removed meanwhile is gone as wanted
      if (!isXapiFailure(err, 'HANDLE_INVALID')) firstFailure ??= err;
    }
  }
  task.progress(1);
  if (firstFailure) throw firstFailure;
}

/** The task for undoing its own steps: no progress reports (the bar must not move back), not cancelled with it. */
export function quietly(task: TaskReporter): TaskReporter {
  return { ...taskStep(task, 0, 1), progress: () => undefined, signal: new AbortController().signal };
}
