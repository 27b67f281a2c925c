// The Properties dialog's changes as one ReconfigVM_Task. While the VM runs,
// vSphere takes name, annotation, memory reservation / limit / shares and the
// CD/DVD image at once; vCPUs only with CPU Hot Add (fewer: CPU Hot Remove) and
// memory only upwards with Memory Hot Add. Polyvisor refuses the rest before it
// asks, saying why; whatever the server still refuses comes back as its fault.
// A revision read with the properties travels as config.changeVersion: a VM
// changed meanwhile is refused by the server (ConcurrentAccess).

import { PolyvisorError } from '../../../../shared/errors';
import type { GuestChanges } from '../../../../shared/guests';
import type { ActionResult, TaskReporter } from '../provider';
import { addCdrom, bootOrderXml, changeCdrom, configSpec, type ConfigSpecParts, type MemoryAllocation } from './config-spec';
import { cdromsOf, disksOf, ideControllerWithRoom, nicsOf } from './devices';
import { runVmTask } from './guest-actions';
import type { VimClient } from './vim-client';
import { readVmConfig, type VmConfig } from './vm-config';
import type { Xml } from './xml';

const UNSUPPORTED_CHANGES: Array<[keyof GuestChanges, string]> = [
  ['autoStart', 'starting with the host (the host’s AutoStartManager)'],
  ['tags', 'tags (vCenter keeps them in its REST tagging service)'],
  ['cpuLimit', 'a CPU limit'],
  ['restartPolicy', 'a restart policy'],
];

const NEW_CDROM_KEY = -3000;

export async function configureGuest(
  ctx: { client: VimClient; reread(refs: Array<{ type: string; value: string }>): Promise<void> },
  ref: string,
  changes: GuestChanges,
  task: TaskReporter,
): Promise<ActionResult> {
  for (const [key, what] of UNSUPPORTED_CHANGES) {
    if (changes[key] !== undefined) throw new PolyvisorError({ code: 'UNSUPPORTED', field: key, message: `vSphere has no ${what} that Polyvisor can set.` });
  }
  const memory = changes.memory ?? {};
  if (memory.staticMinBytes !== undefined || memory.dynamicMinBytes !== undefined || memory.dynamicMaxBytes !== undefined) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', field: 'memory', message: 'vSphere has no dynamic memory range: set the reservation, limit and shares instead.' });
  }
  const vm = await readVmConfig(ctx.client, ref);
  refuseWhileRunning(vm, changes);
  const spec = specFor(vm, changes);
  await runVmTask(ctx.client, 'ReconfigVM_Task', vm.ref, [configSpec('spec', spec)], task, `Reconfigure ${vm.name}`);
  await ctx.reread([vm.ref]);
  task.progress(1);
  return {};
}

function refuseWhileRunning(vm: VmConfig, changes: GuestChanges): void {
  if (vm.powerState !== 'poweredOn') return;
  const refuse = (field: string, why: string) => {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field, message: `${vm.name} is powered on: ${why}` });
  };
  const vcpus = changes.vcpus;
  if (vcpus !== undefined && vcpus !== vm.numCPU) {
    if (!vm.cpuHotAdd) refuse('vcpus', 'CPU Hot Add is not enabled, so vSphere changes its vCPUs only while it is powered off.');
    if (vm.numCPU !== undefined && vcpus < vm.numCPU && !vm.cpuHotRemove) refuse('vcpus', 'CPU Hot Remove is not enabled, so vSphere removes vCPUs only while it is powered off.');
  }
  const size = changes.memory?.sizeBytes;
  const current = vm.memory?.sizeBytes;
  if (size !== undefined && size !== current) {
    if (!vm.memoryHotAdd) refuse('memory.sizeBytes', 'Memory Hot Add is not enabled, so vSphere changes its memory only while it is powered off.');
    if (current !== undefined && size < current) refuse('memory.sizeBytes', 'vSphere adds memory to a running VM but never takes it away; power it off to reduce it.');
  }
}

function specFor(vm: VmConfig, changes: GuestChanges): ConfigSpecParts {
  const memory = changes.memory ?? {};
  const allocation = memory.reservationBytes !== undefined || memory.limitBytes !== undefined || memory.shares !== undefined;
  const deviceChange: Xml[] = [];
  if (changes.isoId !== undefined) deviceChange.push(cdChange(vm, changes.isoId));
  return {
    changeVersion: changes.revision,
    name: changes.name,
    annotation: changes.description,
    numCPUs: changes.vcpus,
    memoryBytes: memory.sizeBytes,
    deviceChange,
    ...(allocation ? { memoryAllocation: allocationFor(vm, memory) } : {}),
    ...(changes.bootOrder !== undefined
      ? { bootOrder: bootOrderXml(changes.bootOrder, { disk: disksOf(vm.devices)[0]?.key, nic: nicsOf(vm.devices)[0]?.key }) }
      : {}),
  };
}

/**
 * The whole memory allocation, unchanged parts as read: vcsim 0.24 replaces the allocation
 * with what is sent (vCenter keeps what is not), so both end where the dialog meant.
 */
function allocationFor(vm: VmConfig, memory: NonNullable<GuestChanges['memory']>): MemoryAllocation {
  const current = vm.memory;
  const shares = memory.shares ?? current?.shares;
  return {
    reservationBytes: memory.reservationBytes ?? current?.reservationBytes,
    limitBytes: memory.limitBytes ?? current?.limitBytes ?? 0,
    shares,
    ...(memory.shares === undefined && shares !== undefined && vm.sharesLevel ? { sharesLevel: vm.sharesLevel } : {}),
  };
}

/** Inserts or ejects on the VM's first drive; a VM without one gets a drive on a free IDE unit. */
export function cdChange(vm: VmConfig, isoPath: string | null): Xml {
  const drive = cdromsOf(vm.devices)[0];
  if (drive) return changeCdrom(drive, isoPath, vm.powerState === 'poweredOn');
  const at = ideControllerWithRoom(vm.devices);
  if (!at) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'isoId', message: `${vm.name} has no CD/DVD drive and no free IDE unit for one.` });
  return addCdrom(NEW_CDROM_KEY, at, isoPath);
}
