// A VM's disks changed with ReconfigVM_Task (issue 16), as the vSphere Client does it: a
// new thin disk (deviceChange add, fileOperation create) on the next free unit of a SCSI
// controller (one is added where the VM has none), a disk grown (edit, a larger
// capacityInKB), a disk removed from the VM (remove; fileOperation destroy deletes its
// file too). Attaching an existing disk file needs a datastore browser: not offered.

import { PolyvisorError } from '../../../../shared/errors';
import type { FreeDisk } from '../../../../shared/disks';
import type { ActionResult, TaskReporter } from '../provider';
import type { ProviderDisks } from '../provider-disks';
import type { GuestTarget } from '../provider-networks';
import { addDisk, addScsiController, growDisk } from './config-spec';
import { disksOf, readDevices, type VmDevice } from './devices';
import { runVmTask } from './guest-actions';
import { retrieveOne } from './property-collector';
import type { VimClient } from './vim-client';
import { el, opt, text, type ManagedObjectReference, type Xml } from './xml';

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

  attachable(_guest: GuestTarget): Promise<FreeDisk[]> {
    return Promise.resolve([]);
  }

  attach(): Promise<ActionResult> {
    return Promise.reject(new PolyvisorError({ code: 'UNSUPPORTED', message: 'Polyvisor does not attach existing vSphere disk files.' }));
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
    const change = el('deviceChange', [el('operation', 'remove'), opt('fileOperation', deleteDisk ? 'destroy' : undefined), el('device', [el('key', disk.key)], { 'xsi:type': disk.type })]);
    await this.reconfigure(guest, [change], task, `Remove ${disk.label}`);
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
