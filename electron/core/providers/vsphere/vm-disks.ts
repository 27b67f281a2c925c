// A VM's disks changed with ReconfigVM_Task (issue 16), as the vSphere Client does it: a
// new thin disk (deviceChange add, fileOperation create) on the next free unit of a SCSI
// controller (one is added where the VM has none), a disk grown (edit, a larger
// capacityInKB), a disk removed from the VM (remove; fileOperation destroy deletes its
// file too), an existing disk file attached (add, no fileOperation) — one that no VM or
// snapshot uses, found with the datastore browser (disk-files.ts).

import { PolyvisorError } from '../../../../shared/errors';
import type { FreeDisk } from '../../../../shared/disks';
import type { ActionResult, TaskReporter } from '../provider';
import type { ProviderDisks } from '../provider-disks';
import type { GuestTarget } from '../provider-networks';
import { addDisk, addScsiController, attachDiskFile, growDisk, removeDisk } from './config-spec';
import { diskFilesInUse, diskFilesOn, reachableDatastores, samePath, type DiskFile } from './disk-files';
import { disksOf, readDevices, type VmDevice } from './devices';
import { runVmTask } from './guest-actions';
import { quietReporter } from './guest-properties';
import { retrieveOne } from './property-collector';
import type { VimClient } from './vim-client';
import { el, text, type ManagedObjectReference, type Xml } from './xml';

const SCSI = /LsiLogic|ParaVirtualSCSI|BusLogic|SCSIController/;
/** unit 7 of a SCSI bus is the controller's own */
const SCSI_UNITS = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15];
const vmRef = (value: string): ManagedObjectReference => ({ type: 'VirtualMachine', value });

interface Deps {
  client: () => VimClient;
  reread: (refs: ManagedObjectReference[]) => Promise<void>;
}

/** Where a new disk goes: a controller with a free unit, or a new controller (bus 0) made in the same change. */
export function placeNewDisk(devices: VmDevice[]): { controllerKey: number; unitNumber: number; controller?: Xml } {
  const controllers = devices.filter((d) => SCSI.test(d.type)).sort((a, b) => a.key - b.key);
  for (const c of controllers) {
    const used = new Set(devices.filter((d) => d.controllerKey === c.key).map((d) => d.unitNumber));
    const unit = SCSI_UNITS.find((u) => !used.has(u));
    if (unit !== undefined) return { controllerKey: c.key, unitNumber: unit };
  }
  const bus = controllers.length;
  if (bus > 3) throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'The VM has no free SCSI position for another disk.' });
  return { controllerKey: -100, unitNumber: 0, controller: addScsiController(-100, bus) };
}

export class VsphereVmDisks implements ProviderDisks {
  constructor(private readonly deps: Deps) {}

  async attachable(guest: GuestTarget): Promise<FreeDisk[]> {
    return (await this.freeFiles(guest, quietReporter())).map((f) => ({ id: f.path, name: f.name, storageName: f.datastoreName, ...(f.sizeBytes === undefined ? {} : { sizeBytes: f.sizeBytes }) }));
  }

  /** The file (a FreeDisk id, its datastore path) on the next free SCSI unit; the server refuses a file that is gone (FileNotFound). */
  async attach(guest: GuestTarget, diskId: string, task: TaskReporter): Promise<ActionResult> {
    const file = (await this.freeFiles(guest, task)).find((f) => f.path === samePath(diskId));
    if (!file) {
      throw new PolyvisorError({ code: 'NOT_FOUND', field: 'diskId', message: `${diskId} is not a free disk file on a datastore of the VM's host: it is missing, or a VM or snapshot uses it.` });
    }
    const place = placeNewDisk(await this.devices(guest));
    const change = attachDiskFile({ key: -101, controllerKey: place.controllerKey, unitNumber: place.unitNumber, fileName: file.path, datastore: file.datastore, sizeBytes: file.sizeBytes });
    await this.reconfigure(guest, [...(place.controller ? [place.controller] : []), change], task, `Attach ${file.path}`);
    return {};
  }

  /** The disk files on the datastores the VM's host mounts that no VM or snapshot uses. */
  private async freeFiles(guest: GuestTarget, task: TaskReporter): Promise<DiskFile[]> {
    const client = this.deps.client();
    const stores = await reachableDatastores(client, vmRef(guest.nativeRef));
    const [files, used] = await Promise.all([diskFilesOn(client, stores, task), diskFilesInUse(client, stores)]);
    return files.filter((f) => !used.has(samePath(f.path))).map((f) => ({ ...f, path: samePath(f.path) }));
  }

  async add(guest: GuestTarget, disk: { storageRef: string; sizeBytes: number; name: string }, task: TaskReporter): Promise<ActionResult> {
    const client = this.deps.client();
    const ds: ManagedObjectReference = { type: 'Datastore', value: disk.storageRef };
    const dsName = text((await retrieveOne(client, ds, ['name']))?.get('name'))?.trim();
    if (!dsName) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'storageId', message: `The server no longer has datastore ${disk.storageRef}.` });
    const place = placeNewDisk(await this.devices(guest));
    const change = addDisk({ key: -101, controllerKey: place.controllerKey, unitNumber: place.unitNumber, sizeBytes: disk.sizeBytes, datastore: { ref: ds, name: dsName } });
    await this.reconfigure(guest, [...(place.controller ? [place.controller] : []), change], task, `Add a disk on ${dsName}`);
    return {};
  }

  async resize(guest: GuestTarget, diskId: string, sizeBytes: number, task: TaskReporter): Promise<ActionResult> {
    const disk = await this.diskOf(guest, diskId);
    await this.reconfigure(guest, [growDisk(disk, sizeBytes)], task, `Grow ${disk.label}`);
    return {};
  }

  async detach(guest: GuestTarget, diskId: string, deleteDisk: boolean, task: TaskReporter): Promise<ActionResult> {
    const disk = await this.diskOf(guest, diskId);
    await this.reconfigure(guest, [removeDisk(disk, deleteDisk)], task, `Remove ${disk.label}`);
    return {};
  }

  private async devices(guest: GuestTarget): Promise<VmDevice[]> {
    const props = await retrieveOne(this.deps.client(), vmRef(guest.nativeRef), ['config.hardware.device']);
    if (!props) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has VM ${guest.nativeRef}.` });
    return readDevices(props.get('config.hardware.device'));
  }

  private async diskOf(guest: GuestTarget, diskId: string) {
    const disk = disksOf(await this.devices(guest)).find((d) => String(d.key) === diskId);
    if (!disk) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'diskId', message: `The VM has no disk ${diskId}.` });
    return disk;
  }

  private async reconfigure(guest: GuestTarget, deviceChange: Xml[], task: TaskReporter, what: string): Promise<void> {
    await runVmTask(this.deps.client(), 'ReconfigVM_Task', vmRef(guest.nativeRef), [el('spec', deviceChange)], task, what);
    await this.deps.reread([vmRef(guest.nativeRef)]);
  }
}
