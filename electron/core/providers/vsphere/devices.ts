// A VM's virtual hardware as vSphere sends it (config.hardware.device, an
// ArrayOfVirtualDevice told apart by xsi:type): its disks, network adapters,
// CD/DVD drives and controllers, read into plain values.

import { child, childText, children, readBool, readMoRef, readNumber, text, xsiType, type ManagedObjectReference, type XmlNode } from './xml';

export interface VmDevice {
  key: number;
  /** the xsi:type, e.g. VirtualDisk, VirtualVmxnet3, VirtualIDEController */
  type: string;
  /** deviceInfo.label as vSphere words it: "Hard disk 1", "Network adapter 1", "CD/DVD drive 1" */
  label: string;
  summary: string;
  controllerKey?: number;
  unitNumber?: number;
  node: XmlNode;
}

export interface VmDiskDevice extends VmDevice {
  capacityBytes: number;
  /** "[datastore] folder/file.vmdk" */
  fileName: string;
  datastore: ManagedObjectReference | null;
}

export interface VmNicDevice extends VmDevice {
  mac?: string;
  /** a standard network's moref, or a distributed port group's key */
  network: ManagedObjectReference | null;
  portgroupKey?: string;
  /** the standard network's name as the backing carries it */
  deviceName?: string;
}

export interface VmCdromDevice extends VmDevice {
  /** the ISO's datastore path; null when the drive holds no image */
  isoPath: string | null;
}

/** The ethernet card types of vim25 (all extend VirtualEthernetCard). */
const NIC_TYPES = new Set(['VirtualE1000', 'VirtualE1000e', 'VirtualPCNet32', 'VirtualVmxnet', 'VirtualVmxnet2', 'VirtualVmxnet3', 'VirtualVmxnet3Vrdma', 'VirtualSriovEthernetCard', 'VirtualEthernetCard']);
const SCSI_TYPES = new Set(['VirtualLsiLogicController', 'VirtualLsiLogicSASController', 'ParaVirtualSCSIController', 'VirtualBusLogicController', 'VirtualSCSIController']);

const int = (node: XmlNode | undefined): number | undefined => readNumber(node);

export function readDevices(value: XmlNode | undefined): VmDevice[] {
  return children(value, 'VirtualDevice').flatMap((node) => {
    const key = int(child(node, 'key'));
    if (key === undefined) return [];
    const info = child(node, 'deviceInfo');
    return [
      {
        key,
        type: xsiType(node) ?? 'VirtualDevice',
        label: childText(info, 'label')?.trim() ?? '',
        summary: childText(info, 'summary')?.trim() ?? '',
        controllerKey: int(child(node, 'controllerKey')),
        unitNumber: int(child(node, 'unitNumber')),
        node,
      },
    ];
  });
}

export function disksOf(devices: VmDevice[]): VmDiskDevice[] {
  return devices
    .filter((d) => d.type === 'VirtualDisk')
    .map((d) => {
      const backing = child(d.node, 'backing');
      const bytes = int(child(d.node, 'capacityInBytes'));
      const kb = int(child(d.node, 'capacityInKB')) ?? 0;
      return {
        ...d,
        capacityBytes: bytes && bytes > 0 ? bytes : kb * 1024,
        fileName: childText(backing, 'fileName')?.trim() ?? '',
        datastore: readMoRef(child(backing, 'datastore')),
      };
    });
}

export function nicsOf(devices: VmDevice[]): VmNicDevice[] {
  return devices
    .filter((d) => NIC_TYPES.has(d.type) || child(d.node, 'macAddress') !== undefined)
    .map((d) => {
      const backing = child(d.node, 'backing');
      const port = child(backing, 'port');
      const portgroupKey = childText(port, 'portgroupKey')?.trim();
      return {
        ...d,
        mac: childText(d.node, 'macAddress')?.trim() || undefined,
        network: portgroupKey ? { type: 'DistributedVirtualPortgroup', value: portgroupKey } : readMoRef(child(backing, 'network')),
        ...(portgroupKey ? { portgroupKey } : {}),
        deviceName: childText(backing, 'deviceName')?.trim() || undefined,
      };
    });
}

export function cdromsOf(devices: VmDevice[]): VmCdromDevice[] {
  return devices
    .filter((d) => d.type === 'VirtualCdrom')
    .map((d) => {
      const backing = child(d.node, 'backing');
      const iso = xsiType(backing) === 'VirtualCdromIsoBackingInfo' ? childText(backing, 'fileName')?.trim() : undefined;
      return { ...d, isoPath: iso || null };
    });
}

export function scsiControllersOf(devices: VmDevice[]): VmDevice[] {
  return devices.filter((d) => SCSI_TYPES.has(d.type));
}

/** IDE controllers with a free unit (each takes two devices). */
export function ideControllerWithRoom(devices: VmDevice[]): { key: number; unitNumber: number } | null {
  for (const c of devices.filter((d) => d.type === 'VirtualIDEController')) {
    const used = new Set(devices.filter((d) => d.controllerKey === c.key).map((d) => d.unitNumber));
    for (const unit of [0, 1]) if (!used.has(unit)) return { key: c.key, unitNumber: unit };
  }
  return null;
}

/** connectable.connected / startConnected of a device, as sent. */
export function connectState(device: VmDevice): { startConnected: boolean; connected: boolean } {
  const c = child(device.node, 'connectable');
  return { startConnected: readBool(child(c, 'startConnected')) ?? true, connected: readBool(child(c, 'connected')) ?? false };
}

/** A datastore path's datastore name: "[ds1] vm/vm.vmdk" → "ds1". */
export function datastoreNameOf(path: string): string | undefined {
  return /^\[([^\]]+)\]/.exec(path)?.[1];
}

/** The text of a leaf, trimmed (undefined when absent). */
export const leaf = (node: XmlNode | undefined, name: string): string | undefined => text(child(node, name))?.trim();
