// The settings calls the New VM wizard and the Properties dialog share: vCPUs in the
// order xapi's 0 < VCPUs_at_startup ≤ VCPUs_max allows at each step (or the live
// count on a running VM), memory (all four limits while halted, the dynamic range
// while running) and the CD drive (insert, eject, or a new drive).

import type { MemoryConfig } from '../../../../shared/guests';
import type { ActionContext } from './actions';
import { XapiInt } from './transport';
import { bool, num, str, type XapiRecord, map } from './records';

const NULL_REF = 'OpaqueRef:NULL';
/** where XenCenter puts a VM's CD drive (xvdd) */
const CD_POSITION = '3';

export async function setVcpus(ctx: ActionContext, vm: string, count: number, running: boolean): Promise<void> {
  const session = ctx.session();
  if (running) {
    await session.call('VM.set_VCPUs_number_live', vm, new XapiInt(count));
    return;
  }
  const max = num(await session.call('VM.get_VCPUs_max', vm)) ?? 0;
  if (count > max) await session.call('VM.set_VCPUs_max', vm, new XapiInt(count));
  await session.call('VM.set_VCPUs_at_startup', vm, new XapiInt(count));
}

export type MemoryLimits = Required<Pick<MemoryConfig, 'sizeBytes' | 'staticMinBytes' | 'dynamicMinBytes' | 'dynamicMaxBytes'>>;

export async function setMemory(ctx: ActionContext, vm: string, m: MemoryLimits, running: boolean): Promise<void> {
  const int = (n: number) => new XapiInt(n);
  if (running) await ctx.session().call('VM.set_memory_dynamic_range', vm, int(m.dynamicMinBytes), int(m.dynamicMaxBytes));
  else await ctx.session().call('VM.set_memory_limits', vm, int(m.staticMinBytes), int(m.sizeBytes), int(m.dynamicMinBytes), int(m.dynamicMaxBytes));
}

/** The VM's CD drive, if it has one, and the device positions taken. */
export async function cdDrive(ctx: ActionContext, vm: string): Promise<{ drive?: { ref: string; record: XapiRecord }; taken: string[] }> {
  const taken: string[] = [];
  let drive: { ref: string; record: XapiRecord } | undefined;
  for (const ref of await ctx.session().call<string[]>('VM.get_VBDs', vm)) {
    const record = map(await ctx.session().call('VBD.get_record', ref));
    taken.push(str(record.userdevice));
    if (str(record.type) === 'CD') drive ??= { ref, record };
  }
  return { drive, taken };
}

/** Puts `isoId` in the CD drive (null: empties it); a VM without a drive gets one (while halted). */
export async function attachIso(ctx: ActionContext, vm: string, isoId: string | null): Promise<void> {
  const session = ctx.session();
  const { drive, taken } = await cdDrive(ctx, vm);
  if (!drive) {
    await session.call('VBD.create', {
      VM: vm,
      VDI: isoId ?? NULL_REF,
      userdevice: taken.includes(CD_POSITION) ? 'autodetect' : CD_POSITION,
      bootable: true,
      mode: 'RO',
      type: 'CD',
      unpluggable: true,
      empty: isoId === null,
      other_config: {},
      qos_algorithm_type: '',
      qos_algorithm_params: {},
    });
    return;
  }
  const empty = bool(drive.record.empty);
  if (!empty && str(drive.record.VDI) === isoId) return;
  if (!empty) await session.call('VBD.eject', drive.ref);
  if (isoId !== null) await session.call('VBD.insert', drive.ref, isoId);
}
