// One VM's configuration read straight from the server (not the inventory's
// cache): hardware, resource allocation, hot-add switches, devices, boot
// order, guest networking and config.changeVersion, with the names of the
// networks and datastores it uses.

import { PolyvisorError } from '../../../../shared/errors';
import type { MemoryConfig } from '../../../../shared/guests';
import { readDevices, type VmDevice } from './devices';
import { retrieveObjects, retrieveOne, type PropertyValues } from './property-collector';
import type { VimClient } from './vim-client';
import { child, childText, children, readBool, readMoRefArray, readNumber, text, xsiType, type ManagedObjectReference, type XmlNode } from './xml';

const MB = 1024 * 1024;

export const VM_CONFIG_PATHS = [
  'name',
  'runtime.powerState',
  'config.template',
  'config.annotation',
  'config.changeVersion',
  'config.hardware.numCPU',
  'config.hardware.memoryMB',
  'config.hardware.device',
  'config.memoryAllocation',
  'config.cpuHotAddEnabled',
  'config.cpuHotRemoveEnabled',
  'config.memoryHotAddEnabled',
  'config.bootOptions',
  'guest.net',
  'network',
  'datastore',
];

export interface GuestNetInfo {
  deviceKey?: number;
  mac?: string;
  ips: string[];
}

export interface VmConfig {
  ref: ManagedObjectReference;
  name: string;
  powerState: string;
  template: boolean;
  annotation: string;
  changeVersion?: string;
  numCPU?: number;
  memory?: MemoryConfig;
  /** memory shares' level as set (low, normal, high, custom) */
  sharesLevel?: string;
  cpuHotAdd: boolean;
  cpuHotRemove: boolean;
  memoryHotAdd: boolean;
  devices: VmDevice[];
  /** device words in boot order ('cd', 'disk', 'network', 'floppy') */
  bootOrder: string[];
  guestNet: GuestNetInfo[];
  /** network moref value or distributed port group key → its name */
  networkNames: Map<string, string>;
  /** datastore moref value → its name */
  datastoreNames: Map<string, string>;
}

const str = (node: XmlNode | undefined) => text(node)?.trim() ?? '';

export async function readVmConfig(client: VimClient, ref: string): Promise<VmConfig> {
  const vm: ManagedObjectReference = { type: 'VirtualMachine', value: ref };
  const props = await retrieveOne(client, vm, VM_CONFIG_PATHS);
  if (!props) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has virtual machine ${ref}.` });
  const names = await namesOf(client, [...readMoRefArray(props.get('network')), ...readMoRefArray(props.get('datastore'))]);
  return {
    ref: vm,
    name: str(props.get('name')),
    powerState: str(props.get('runtime.powerState')),
    template: readBool(props.get('config.template')) === true,
    annotation: text(props.get('config.annotation')) ?? '',
    changeVersion: str(props.get('config.changeVersion')) || undefined,
    numCPU: readNumber(props.get('config.hardware.numCPU')),
    memory: memoryOf(props),
    sharesLevel: str(child(child(props.get('config.memoryAllocation'), 'shares'), 'level')) || undefined,
    cpuHotAdd: readBool(props.get('config.cpuHotAddEnabled')) === true,
    cpuHotRemove: readBool(props.get('config.cpuHotRemoveEnabled')) === true,
    memoryHotAdd: readBool(props.get('config.memoryHotAddEnabled')) === true,
    devices: readDevices(props.get('config.hardware.device')),
    bootOrder: bootWords(props.get('config.bootOptions')),
    guestNet: children(props.get('guest.net'), 'GuestNicInfo').map((n) => ({
      deviceKey: readNumber(child(n, 'deviceConfigId')),
      mac: childText(n, 'macAddress')?.trim() || undefined,
      ips: children(n, 'ipAddress').map(str).filter(Boolean),
    })),
    networkNames: names.networks,
    datastoreNames: names.datastores,
  };
}

/** config.hardware.memoryMB and config.memoryAllocation as a MemoryConfig (limit -1 = unlimited: absent). */
export function memoryOf(props: PropertyValues): MemoryConfig | undefined {
  const memoryMB = readNumber(props.get('config.hardware.memoryMB'));
  if (memoryMB === undefined) return undefined;
  const allocation = props.get('config.memoryAllocation');
  const reservation = readNumber(child(allocation, 'reservation'));
  const limit = readNumber(child(allocation, 'limit'));
  const shares = readNumber(child(child(allocation, 'shares'), 'shares'));
  return {
    sizeBytes: memoryMB * MB,
    ...(reservation !== undefined ? { reservationBytes: reservation * MB } : {}),
    ...(limit !== undefined && limit >= 0 ? { limitBytes: limit * MB } : {}),
    ...(shares !== undefined ? { shares } : {}),
  };
}

const BOOT_WORDS: Record<string, string> = {
  VirtualMachineBootOptionsBootableCdromDevice: 'cd',
  VirtualMachineBootOptionsBootableDiskDevice: 'disk',
  VirtualMachineBootOptionsBootableEthernetDevice: 'network',
  VirtualMachineBootOptionsBootableFloppyDevice: 'floppy',
};

function bootWords(options: XmlNode | undefined): string[] {
  return children(options, 'bootOrder').flatMap((d) => {
    const word = BOOT_WORDS[xsiType(d) ?? ''];
    return word ? [word] : [];
  });
}

/** Names of networks (also by a distributed port group's key) and datastores. */
async function namesOf(client: VimClient, refs: ManagedObjectReference[]): Promise<{ networks: Map<string, string>; datastores: Map<string, string> }> {
  const found = await retrieveObjects(client, refs, {
    Network: ['name'],
    OpaqueNetwork: ['name'],
    DistributedVirtualPortgroup: ['name', 'key'],
    Datastore: ['name'],
  });
  const networks = new Map<string, string>();
  const datastores = new Map<string, string>();
  for (const { obj, props } of found) {
    const name = str(props.get('name'));
    if (obj.type === 'Datastore') {
      datastores.set(obj.value, name);
      continue;
    }
    networks.set(obj.value, name);
    const key = str(props.get('key'));
    if (key) networks.set(key, name);
  }
  return { networks, datastores };
}
