// The disk files a VM may attach (issue 16): the .vmdk files on every datastore its host
// mounts, found with each datastore's browser (VmDiskFileQuery), minus every file a VM
// or a snapshot uses. "Uses" is read from the VMs stored on those datastores
// (Datastore.vm): their disks' backings with their parent chains (the snapshot deltas
// the running state writes to) and the disk chains their snapshots hold
// (layoutEx.snapshot → layoutEx.file), so a disk detached while a snapshot keeps it
// is not offered.

import { PolyvisorError } from '../../../../shared/errors';
import type { TaskReporter } from '../provider';
import { datastoreFacts, type DatastoreFacts } from './datacenter-resources';
import { searchDatastore } from './datastore-search';
import { disksOf, readDevices } from './devices';
import { retrieveObjects, retrieveOne } from './property-collector';
import type { VimClient } from './vim-client';
import { child, childText, children, el, readMoRef, readMoRefArray, readNumber, text, type ManagedObjectReference, type XmlNode } from './xml';

export interface DiskFile {
  /** "[datastore] folder/file.vmdk" */
  path: string;
  /** the path without its datastore */
  name: string;
  datastore: ManagedObjectReference;
  datastoreName: string;
  /** VmDiskFileInfo.capacityKb, else the file's size; absent where the server reports neither */
  sizeBytes?: number;
}

/** Extents and change-tracking files hold no disk of their own: their descriptor is the disk. */
const NOT_A_DISK = /-(flat|delta|ctk|sesparse|rdm|rdmp)\.vmdk$/i;

/** "[ds]  folder//x.vmdk" and "[ds] folder/x.vmdk" name one file. */
export const samePath = (path: string): string => path.trim().replace(/^\[([^\]]*)\]\s*\/?/, '[$1] ').replace(/\/{2,}/g, '/');

/** The datastores the VM's host mounts (a VM without a host: the ones it is stored on). */
export async function reachableDatastores(client: VimClient, vm: ManagedObjectReference): Promise<DatastoreFacts[]> {
  const props = await retrieveOne(client, vm, ['runtime.host', 'datastore']);
  if (!props) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has VM ${vm.value}.` });
  const host = readMoRef(props.get('runtime.host'));
  const mounted = host ? readMoRefArray((await retrieveOne(client, host, ['datastore']))?.get('datastore')) : [];
  const stores = await datastoreFacts(client, mounted.length ? mounted : readMoRefArray(props.get('datastore')));
  return stores.filter((ds) => ds.accessible && ds.browser);
}

/** The disk files on these datastores; a search the server refuses fails the listing, naming the datastore (the task's error). */
export async function diskFilesOn(client: VimClient, stores: DatastoreFacts[], task: TaskReporter): Promise<DiskFile[]> {
  const out: DiskFile[] = [];
  const query = { type: 'VmDiskFileQuery', details: [el('diskType', true), el('capacityKb', true), el('hardwareVersion', false)], pattern: '*.vmdk' };
  for (const ds of stores) {
    const found = await searchDatastore(client, { name: ds.name, browser: ds.browser! }, query, task, `Search ${ds.name} for disk files`);
    for (const f of found) {
      if (NOT_A_DISK.test(f.name) || !f.name.toLowerCase().endsWith('.vmdk')) continue;
      out.push({ path: f.path, name: f.name, datastore: ds.ref, datastoreName: ds.name, sizeBytes: sizeOf(f.info) });
    }
  }
  return out;
}

function sizeOf(info: XmlNode): number | undefined {
  const kb = readNumber(child(info, 'capacityKb'));
  if (kb !== undefined && kb > 0) return kb * 1024;
  const bytes = readNumber(child(info, 'fileSize'));
  return bytes !== undefined && bytes > 0 ? bytes : undefined;
}

/** Every disk file a VM or snapshot stored on these datastores uses, by path, with the VM's name. */
export async function diskFilesInUse(client: VimClient, stores: DatastoreFacts[]): Promise<Map<string, string>> {
  const found = await retrieveObjects(client, stores.map((s) => s.ref), { Datastore: ['vm'] });
  const vms = new Map(found.flatMap((f) => readMoRefArray(f.props.get('vm'))).map((r) => [r.value, r]));
  const read = await retrieveObjects(client, [...vms.values()], { VirtualMachine: ['name', 'config.hardware.device', 'layoutEx.file', 'layoutEx.snapshot'] });
  const used = new Map<string, string>();
  for (const vm of read) {
    const name = text(vm.props.get('name'))?.trim() ?? vm.obj.value;
    for (const path of usedBy(vm.props.get('config.hardware.device'), vm.props.get('layoutEx.file'), vm.props.get('layoutEx.snapshot'))) used.set(samePath(path), name);
  }
  return used;
}

/** The disk files of one VM: its disks' backings and their parents, and its snapshots' disk chains. */
export function usedBy(devices: XmlNode | undefined, layoutFiles: XmlNode | undefined, layoutSnapshots: XmlNode | undefined): string[] {
  const paths: string[] = [];
  for (const disk of disksOf(readDevices(devices))) {
    for (let backing = child(disk.node, 'backing'); backing !== undefined; backing = child(backing, 'parent')) {
      const file = childText(backing, 'fileName')?.trim();
      if (file) paths.push(file);
    }
  }
  const fileNames = new Map(children(layoutFiles, 'VirtualMachineFileLayoutExFileInfo').map((f) => [childText(f, 'key')?.trim(), childText(f, 'name')?.trim()]));
  for (const snapshot of children(layoutSnapshots, 'VirtualMachineFileLayoutExSnapshotLayout')) {
    for (const disk of children(snapshot, 'disk')) {
      for (const unit of children(disk, 'chain')) {
        for (const key of children(unit, 'fileKey')) {
          const file = fileNames.get(text(key)?.trim());
          if (file) paths.push(file);
        }
      }
    }
  }
  return paths;
}
