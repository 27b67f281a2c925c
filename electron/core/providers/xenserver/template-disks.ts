// A custom template's own disks (its Disk VBDs in device order) and what the New VM
// wizard may do with them: a clone's copies grow to the sizes asked for (VDI.resize),
// and a size below the template's is refused before anything is made — no SR backend
// shrinks a VDI (LVHD answers SR_BACKEND_FAILURE_79, "shrinking not allowed").

import type { DiskSpec } from '../../../../shared/guests';
import { mapLimited } from '../common/concurrency';
import { refuseShrinking } from '../common/disk-growth';
import type { TaskReporter } from '../provider';
import { taskStep } from '../common/task-steps';
import type { ActionContext } from './actions';
import { isRef, map, num, str } from './records';
import { followTask } from './tasks';
import { XapiInt } from './transport';

const READS_AT_ONCE = 8;

export interface OwnDisk {
  vdi: string;
  sizeBytes: number;
  sr?: string;
  name: string;
}

/** The Disk VBDs among `vbds` with a VDI, in device order, each with its VDI's size and SR. */
export async function ownDisks(ctx: ActionContext, vbds: string[]): Promise<OwnDisk[]> {
  const session = ctx.session();
  const records = await mapLimited(vbds, READS_AT_ONCE, (vbd) => session.call('VBD.get_record', vbd).then(map));
  const disks = records.filter((v) => str(v.type) === 'Disk' && isRef(v.VDI)).sort((a, b) => Number(str(a.userdevice)) - Number(str(b.userdevice)));
  return mapLimited(disks, READS_AT_ONCE, async (vbd) => {
    const vdi = map(await session.call('VDI.get_record', vbd.VDI));
    return { vdi: vbd.VDI as string, sizeBytes: num(vdi.virtual_size) ?? 0, ...(isRef(vdi.SR) ? { sr: vdi.SR } : {}), name: str(vdi.name_label) };
  });
}

/** Refuses a disk asked smaller than the template's own one, naming it. */
export function checkGrowOnly(own: OwnDisk[], asked: DiskSpec[] | undefined): void {
  refuseShrinking(own.map((d) => ({ name: `"${d.name}"`, sizeBytes: d.sizeBytes })), asked);
}

/** Grows the new VM's copies of the template's disks to the sizes asked (one Async.VDI.resize each). */
export async function growDisks(ctx: ActionContext, copies: OwnDisk[], asked: DiskSpec[] | undefined, task: TaskReporter): Promise<void> {
  const growing = copies.map((disk, i) => ({ disk, size: asked?.[i]?.sizeBytes })).filter((g): g is { disk: OwnDisk; size: number } => g.size !== undefined && g.size > g.disk.sizeBytes);
  for (const [n, { disk, size }] of growing.entries()) {
    const resize = await ctx.session().call<string>('Async.VDI.resize', disk.vdi, new XapiInt(size));
    await followTask(ctx.session, resize, taskStep(task, n / growing.length, (n + 1) / growing.length), { pollMs: ctx.taskPollMs });
  }
}
