// VirtualMachineConfigSpec and its VirtualDeviceConfigSpecs as XML, elements in
// the order of the vim25 WSDL (vCenter checks the sequence): what CreateVM_Task,
// CloneVM_Task and ReconfigVM_Task take. New devices get negative keys; the
// server gives them real ones (and a controller's children follow it).

import { leaf, type VmCdromDevice, type VmDevice, type VmNicDevice } from './devices';
import { el, moRef, opt, type ManagedObjectReference, type Xml } from './xml';

const MB = 1024 * 1024;

/** Where a network adapter connects: a standard port group, or a distributed one (by its switch's uuid and its key). */
export type NetworkTarget =
  | { kind: 'network'; ref: ManagedObjectReference; name: string }
  | { kind: 'dvportgroup'; ref: ManagedObjectReference; name: string; switchUuid: string; portgroupKey: string };

export interface MemoryAllocation {
  reservationBytes?: number;
  /** 0 = unlimited (vSphere's -1) */
  limitBytes?: number;
  shares?: number;
  /** the shares' level: 'custom' unless an unchanged level is sent back (low, normal, high) */
  sharesLevel?: string;
}

export interface ConfigSpecParts {
  /** config.changeVersion as read: the server refuses the change when the VM changed since */
  changeVersion?: string;
  name?: string;
  guestId?: string;
  annotation?: string;
  /** files.vmPathName: "[datastore]" puts the VM in a folder of its name there */
  vmPathName?: string;
  numCPUs?: number;
  memoryBytes?: number;
  deviceChange?: Xml[];
  memoryAllocation?: MemoryAllocation;
  bootOrder?: Xml[];
}

export function configSpec(tag: string, p: ConfigSpecParts): Xml {
  return el(tag, [
    opt('changeVersion', p.changeVersion),
    opt('name', p.name),
    opt('guestId', p.guestId),
    opt('annotation', p.annotation),
    p.vmPathName === undefined ? undefined : el('files', el('vmPathName', p.vmPathName)),
    opt('numCPUs', p.numCPUs),
    opt('memoryMB', p.memoryBytes === undefined ? undefined : Math.ceil(p.memoryBytes / MB)),
    ...(p.deviceChange ?? []),
    p.memoryAllocation && memoryAllocationXml(p.memoryAllocation),
    p.bootOrder && el('bootOptions', p.bootOrder),
  ]);
}

/** ResourceAllocationInfo for memory: reservation and limit in MB, shares as a custom level. */
function memoryAllocationXml(m: MemoryAllocation): Xml {
  return el('memoryAllocation', [
    opt('reservation', m.reservationBytes === undefined ? undefined : Math.ceil(m.reservationBytes / MB)),
    opt('limit', m.limitBytes === undefined ? undefined : m.limitBytes === 0 ? -1 : Math.ceil(m.limitBytes / MB)),
    m.shares === undefined ? undefined : el('shares', [el('shares', m.shares), el('level', m.sharesLevel ?? 'custom')]),
  ]);
}

const deviceChange = (operation: 'add' | 'edit' | 'remove', device: Xml, fileOperation?: 'create' | 'destroy'): Xml =>
  el('deviceChange', [el('operation', operation), opt('fileOperation', fileOperation), device]);

/** An LSI Logic SAS controller on SCSI bus `bus`. */
export function addScsiController(key: number, bus: number): Xml {
  return deviceChange('add', el('device', [el('key', key), el('busNumber', bus), el('sharedBus', 'noSharing')], { 'xsi:type': 'VirtualLsiLogicSASController' }));
}

/** A new thin disk in the VM's folder on `datastore`. */
export function addDisk(d: { key: number; controllerKey: number; unitNumber: number; sizeBytes: number; datastore: { ref: ManagedObjectReference; name: string } }): Xml {
  const backing = el(
    'backing',
    [el('fileName', `[${d.datastore.name}]`), moRef('datastore', d.datastore.ref), el('diskMode', 'persistent'), el('thinProvisioned', true)],
    { 'xsi:type': 'VirtualDiskFlatVer2BackingInfo' },
  );
  const device = el(
    'device',
    [el('key', d.key), backing, el('controllerKey', d.controllerKey), el('unitNumber', d.unitNumber), el('capacityInKB', Math.ceil(d.sizeBytes / 1024))],
    { 'xsi:type': 'VirtualDisk' },
  );
  return deviceChange('add', device, 'create');
}

/** An existing disk file on the VM (no fileOperation: the file must exist; vSphere reads its size from it). */
export function attachDiskFile(d: { key: number; controllerKey: number; unitNumber: number; fileName: string; datastore: ManagedObjectReference; sizeBytes?: number }): Xml {
  const backing = el('backing', [el('fileName', d.fileName), moRef('datastore', d.datastore), el('diskMode', 'persistent')], { 'xsi:type': 'VirtualDiskFlatVer2BackingInfo' });
  const device = el(
    'device',
    [el('key', d.key), backing, el('controllerKey', d.controllerKey), el('unitNumber', d.unitNumber), el('capacityInKB', Math.ceil((d.sizeBytes ?? 0) / 1024))],
    { 'xsi:type': 'VirtualDisk' },
  );
  return deviceChange('add', device);
}

/** A disk of a clone or template grown to `sizeBytes` (vSphere grows disks, never shrinks them). */
export function growDisk(disk: VmDevice, sizeBytes: number): Xml {
  return deviceChange('edit', diskAsRead(disk, Math.ceil(sizeBytes / 1024)));
}

/**
 * A disk taken off the VM, sent whole as read (as the vSphere Client and govc send it: the
 * server finds the file to delete in the backing); `deleteFile` deletes its file too.
 */
export function removeDisk(disk: VmDevice & { capacityBytes: number }, deleteFile: boolean): Xml {
  return deviceChange('remove', diskAsRead(disk, Math.ceil(disk.capacityBytes / 1024)), deleteFile ? 'destroy' : undefined);
}

function diskAsRead(disk: VmDevice, capacityKB: number): Xml {
  const backing = xmlOf(disk.node, 'backing');
  return el('device', [el('key', disk.key), deviceInfo(disk), backing, el('controllerKey', disk.controllerKey ?? 0), opt('unitNumber', disk.unitNumber), el('capacityInKB', capacityKB)], {
    'xsi:type': 'VirtualDisk',
  });
}

/** A VMXNET 3 adapter connected at power on. */
export function addNic(key: number, network: NetworkTarget): Xml {
  const device = el('device', [el('key', key), nicBacking(network), connectable(true, false), el('addressType', 'generated')], { 'xsi:type': 'VirtualVmxnet3' });
  return deviceChange('add', device);
}

/** An adapter (of a template's copy) moved to another network; it keeps its type and MAC address. */
export function repointNic(nic: VmNicDevice, network: NetworkTarget): Xml {
  const device = el(
    'device',
    [el('key', nic.key), deviceInfo(nic), nicBacking(network), connectable(true, false), el('controllerKey', nic.controllerKey ?? 0), opt('unitNumber', nic.unitNumber), opt('macAddress', nic.mac)],
    { 'xsi:type': nic.type },
  );
  return deviceChange('edit', device);
}

function nicBacking(network: NetworkTarget): Xml {
  return network.kind === 'network'
    ? el('backing', [el('deviceName', network.name), moRef('network', network.ref)], { 'xsi:type': 'VirtualEthernetCardNetworkBackingInfo' })
    : el('backing', el('port', [el('switchUuid', network.switchUuid), el('portgroupKey', network.portgroupKey)]), {
        'xsi:type': 'VirtualEthernetCardDistributedVirtualPortBackingInfo',
      });
}

/** A CD/DVD drive on an IDE controller, holding the ISO at `isoPath` (or nothing). */
export function addCdrom(key: number, at: { key: number; unitNumber: number }, isoPath: string | null): Xml {
  const device = el('device', [el('key', key), cdBacking(isoPath), connectable(isoPath !== null, false), el('controllerKey', at.key), el('unitNumber', at.unitNumber)], {
    'xsi:type': 'VirtualCdrom',
  });
  return deviceChange('add', device);
}

/** The drive with another ISO, or emptied (null). A running VM's drive is connected at once. */
export function changeCdrom(drive: VmCdromDevice, isoPath: string | null, running: boolean): Xml {
  const device = el(
    'device',
    [
      el('key', drive.key),
      deviceInfo(drive),
      cdBacking(isoPath),
      connectable(isoPath !== null, running && isoPath !== null),
      el('controllerKey', drive.controllerKey ?? 0),
      opt('unitNumber', drive.unitNumber),
    ],
    { 'xsi:type': 'VirtualCdrom' },
  );
  return deviceChange('edit', device);
}

/** bootOptions.bootOrder from device words ('cd', 'disk', 'network'); disks and adapters by their keys. */
export function bootOrderXml(order: string[], keys: { disk?: number; nic?: number }): Xml[] {
  return order.flatMap((word) => {
    if (word === 'cd') return [el('bootOrder', '', { 'xsi:type': 'VirtualMachineBootOptionsBootableCdromDevice' })];
    if (word === 'disk' && keys.disk !== undefined) return [el('bootOrder', el('deviceKey', keys.disk), { 'xsi:type': 'VirtualMachineBootOptionsBootableDiskDevice' })];
    if (word === 'network' && keys.nic !== undefined) {
      return [el('bootOrder', el('deviceKey', keys.nic), { 'xsi:type': 'VirtualMachineBootOptionsBootableEthernetDevice' })];
    }
    return [];
  });
}

function cdBacking(isoPath: string | null): Xml {
  // an empty drive: a remote passthrough backing with no device, as the vSphere Client leaves it
  return isoPath === null
    ? el('backing', [el('deviceName', ''), el('useAutoDetect', false), el('exclusive', false)], { 'xsi:type': 'VirtualCdromRemotePassthroughBackingInfo' })
    : el('backing', el('fileName', isoPath), { 'xsi:type': 'VirtualCdromIsoBackingInfo' });
}

function connectable(startConnected: boolean, connected: boolean): Xml {
  return el('connectable', [el('startConnected', startConnected), el('allowGuestControl', true), el('connected', connected)]);
}

/** deviceInfo as read (an edited device keeps its label). */
function deviceInfo(device: VmDevice): Xml {
  return el('deviceInfo', [el('label', device.label), el('summary', device.summary)]);
}

/** A read backing sent back as it came: its type and its leaf values and references. */
function xmlOf(node: VmDevice['node'], name: string): Xml {
  const backing = typeof node === 'string' ? undefined : node[name];
  const first = Array.isArray(backing) ? backing[0] : backing;
  if (!first || typeof first === 'string') return el(name, '');
  const type = first['@_xsiType'];
  const parts: Xml[] = [];
  for (const key of ['fileName', 'datastore', 'diskMode', 'thinProvisioned']) {
    const value = leaf(first, key);
    if (value === undefined) continue;
    const ref = first[key];
    const refNode = Array.isArray(ref) ? ref[0] : ref;
    parts.push(refNode && typeof refNode !== 'string' && typeof refNode['@_type'] === 'string' ? moRef(key, { type: refNode['@_type'], value }) : el(key, value));
  }
  return el(name, parts, typeof type === 'string' ? { 'xsi:type': type.replace(/^[^:]+:/, '') } : undefined);
}
