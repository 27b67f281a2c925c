// The Properties dialog's reading of one VM or template on vSphere: vCPUs,
// memory with its reservation, limit and shares, disks (datastore and size),
// network adapters (network, MAC, the guest's addresses from guest.net), the
// CD/DVD drive's image, boot order, the annotation as description, and
// config.changeVersion as the revision a change is checked against, and whether CPU /
// Memory Hot Add lets vCPUs / memory grow while it runs.
// vSphere's tags live in vCenter's REST tagging service, not in vim25: none here.

import type { GuestDisk, GuestNic, GuestProperties, IsoChoice } from '../../../../shared/guests';
import type { TaskReporter } from '../provider';
import { datastoresOf, isosOn } from './datacenter-resources';
import { cdromsOf, datastoreNameOf, disksOf, nicsOf } from './devices';
import type { InventoryModel } from './inventory-model';
import type { VimClient } from './vim-client';
import { readVmConfig, type VmConfig } from './vm-config';

export interface GuestReadContext {
  client: VimClient;
  model: InventoryModel | null;
  log?: (message: string) => void;
}

export async function guestProperties(ctx: GuestReadContext, ref: string): Promise<Omit<GuestProperties, 'nodeId'>> {
  const vm = await readVmConfig(ctx.client, ref);
  const drive = cdromsOf(vm.devices)[0];
  return {
    name: vm.name,
    description: vm.annotation,
    ...(vm.numCPU !== undefined ? { vcpus: vm.numCPU } : {}),
    ...(vm.memory ? { memory: vm.memory } : {}),
    disks: guestDisks(vm),
    nics: guestNics(vm),
    ...(drive ? { cd: { isoId: drive.isoPath, ...(drive.isoPath ? { isoName: drive.isoPath.replace(/^\[[^\]]*\]\s*/, '') } : {}) } } : {}),
    bootOrder: vm.bootOrder,
    tags: [],
    isos: await isosFor(ctx, ref),
    ...(vm.changeVersion ? { revision: vm.changeVersion } : {}),
    hotAdd: { cpu: vm.cpuHotAdd, memory: vm.memoryHotAdd },
  };
}

export function guestDisks(vm: Pick<VmConfig, 'devices' | 'datastoreNames'>): GuestDisk[] {
  return disksOf(vm.devices).map((d) => ({
    id: String(d.key),
    name: d.label || d.fileName,
    sizeBytes: d.capacityBytes,
    storageName: (d.datastore && vm.datastoreNames.get(d.datastore.value)) || datastoreNameOf(d.fileName),
    device: d.label,
  }));
}

function guestNics(vm: VmConfig): GuestNic[] {
  return nicsOf(vm.devices).map((n) => {
    const net = vm.guestNet.find((g) => g.deviceKey === n.key) ?? vm.guestNet.find((g) => g.mac && g.mac === n.mac);
    const ref = n.portgroupKey ?? n.network?.value;
    return {
      id: String(n.key),
      networkName: (ref && vm.networkNames.get(ref)) || n.deviceName || '',
      ...(n.mac ? { mac: n.mac } : {}),
      ips: net?.ips ?? [],
      device: n.label,
    };
  });
}

/** The ISO images on the datastores of the VM's datacenter. */
async function isosFor(ctx: GuestReadContext, ref: string): Promise<IsoChoice[]> {
  const dc = ctx.model?.datacenterRef({ type: 'VirtualMachine', value: ref });
  if (!dc) return [];
  return isosOn(ctx.client, await datastoresOf(ctx.client, dc), quietReporter(), ctx.log);
}

/** A reporter for server tasks that are part of a reading, not a task of their own (datastore searches). */
export function quietReporter(): TaskReporter {
  return {
    progress: () => undefined,
    setCancellable: () => undefined,
    signal: new AbortController().signal,
    child: () => Promise.reject(new Error('a reading has no child tasks')),
  };
}
