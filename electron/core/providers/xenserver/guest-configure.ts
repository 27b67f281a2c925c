// The Properties dialog's changes, applied as xapi takes them. While the VM runs
// only what xapi changes live is sent — name, description, tags, start with the
// pool, boot order (used at the next boot), the CD, the dynamic memory range and
// vCPUs up to VCPUs_max — and a change of static memory or of vCPUs beyond
// VCPUs_max is refused before anything is called. Changes are applied in order;
// the first the server refuses stops the rest, with its code.

import { PolyvisorError, toErrorInfo } from '../../../../shared/errors';
import type { GuestChanges } from '../../../../shared/guests';
import type { ActionResult, TaskReporter } from '../provider';
import type { ActionContext } from './actions';
import { memoryOf } from './guest-choices';
import { bootOrderLetters } from './guest-properties';
import { attachIso, cdDrive, setMemory, setVcpus, type MemoryLimits } from './guest-settings';
import { map, num, str, type XapiRecord } from './records';

const MiB = 1024 ** 2;

export async function configureVm(ctx: ActionContext, vm: string, changes: GuestChanges, task: TaskReporter): Promise<ActionResult> {
  const session = ctx.session();
  const record = map(await session.call('VM.get_record', vm));
  const live = str(record.power_state) !== 'Halted';
  const steps = plan(ctx, vm, record, changes, live);
  if (live && changes.isoId !== undefined && !(await cdDrive(ctx, vm)).drive) {
    throw refuse('isoId', 'The VM has no CD drive, and xapi adds one only while the VM is shut down.');
  }
  for (const [i, [what, run]] of steps.entries()) {
    try {
      await run();
    } catch (err) {
      const info = toErrorInfo(err);
      const done = steps.slice(0, i).map(([w]) => w);
      const kept = done.length ? ` (${done.join(', ')} changed already)` : '';
      throw new PolyvisorError({ ...info, message: `Changing the ${what} failed${kept}: ${info.message}` }, { cause: err });
    }
    task.progress((i + 1) / steps.length);
  }
  task.progress(1);
  // HVM_boot_params are read when the domain is built
  return live && changes.bootOrder !== undefined ? { nextBoot: ['bootOrder'] } : {};
}

type Step = [what: string, run: () => Promise<unknown>];

function plan(ctx: ActionContext, vm: string, record: XapiRecord, changes: GuestChanges, live: boolean): Step[] {
  const session = ctx.session();
  const steps: Step[] = [];
  if (changes.cpuLimit !== undefined || changes.restartPolicy !== undefined) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'XenServer VMs have no CPU limit or restart policy of this kind.' });
  }
  if (changes.name !== undefined) {
    const name = changes.name.trim();
    if (!name) throw refuse('name', 'The VM needs a name.');
    steps.push(['name', () => session.call('VM.set_name_label', vm, name)]);
  }
  if (changes.description !== undefined) steps.push(['description', () => session.call('VM.set_name_description', vm, changes.description)]);
  if (changes.tags !== undefined) steps.push(['tags', () => session.call('VM.set_tags', vm, changes.tags)]);
  if (changes.autoStart !== undefined) {
    // XenCenter's "Auto-start on server boot": other_config auto_poweron "true" / "false"
    steps.push([
      'automatic start',
      async () => {
        await session.call('VM.remove_from_other_config', vm, 'auto_poweron');
        await session.call('VM.add_to_other_config', vm, 'auto_poweron', String(changes.autoStart));
      },
    ]);
  }
  if (changes.bootOrder !== undefined) {
    const order = bootOrderLetters(changes.bootOrder);
    if (!order) throw refuse('bootOrder', 'Choose at least one boot device.');
    steps.push(['boot order', () => session.call('VM.set_HVM_boot_params', vm, { ...map(record.HVM_boot_params), order })]);
  }
  if (changes.vcpus !== undefined) {
    const max = num(record.VCPUs_max) ?? 0;
    if (live && changes.vcpus > max) throw refuse('vcpus', `While the VM runs it can have at most ${max} vCPUs (its VCPUs_max); shut it down to give it more.`);
    steps.push(['vCPUs', () => setVcpus(ctx, vm, changes.vcpus!, live)]);
  }
  if (changes.memory !== undefined) {
    const memory = newMemory(record, changes.memory, live);
    steps.push(['memory', () => setMemory(ctx, vm, memory, live)]);
  }
  if (changes.isoId !== undefined) steps.push(['CD', () => attachIso(ctx, vm, changes.isoId!)]);
  return steps;
}

function newMemory(record: XapiRecord, change: NonNullable<GuestChanges['memory']>, live: boolean): MemoryLimits {
  const now = memoryOf(record);
  if (change.reservationBytes !== undefined || change.limitBytes !== undefined || change.shares !== undefined) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'XenServer VMs have no memory reservation, limit or shares; set the dynamic range instead.' });
  }
  const sizeChanged = change.sizeBytes !== undefined && change.sizeBytes !== now.sizeBytes;
  const staticMinChanged = change.staticMinBytes !== undefined && change.staticMinBytes !== now.staticMinBytes;
  if (live && (sizeChanged || staticMinChanged)) {
    throw refuse('memory.size', `The static memory (now ${Math.round(now.sizeBytes / MiB)} MiB) changes only while the VM is shut down; while it runs, set the dynamic range within it.`);
  }
  const size = change.sizeBytes ?? now.sizeBytes;
  const noRange = change.dynamicMinBytes === undefined && change.dynamicMaxBytes === undefined;
  const dynamicMax = change.dynamicMaxBytes ?? (sizeChanged && noRange ? size : (now.dynamicMaxBytes ?? size));
  const dynamicMin = change.dynamicMinBytes ?? (sizeChanged && noRange ? Math.min(now.dynamicMinBytes ?? size, size) : (now.dynamicMinBytes ?? size));
  return { sizeBytes: size, staticMinBytes: change.staticMinBytes ?? now.staticMinBytes ?? Math.min(dynamicMin, size), dynamicMinBytes: dynamicMin, dynamicMaxBytes: dynamicMax };
}

function refuse(field: string, message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', field, message });
}
