// The disk files a VM may attach (issue 16): the .vmdk files on every datastore its host
// mounts, found with each datastore's browser (VmDiskFileQuery), minus every file a VM
// or a snapshot uses. "Uses" is read from the VMs that may reach those datastores
// (stored there, or on a host that mounts them): their disks' backings with their parent
// chains (the snapshot deltas the running state writes to) and the disk chains their
// snapshots hold (layoutEx.snapshot → layoutEx.file), so a disk detached while a snapshot
// keeps it is not offered.

import { PolyvisorError } from '../../../../shared/errors';
import type { TaskReporter } from '../provider';
import { datastoreFacts, type DatastoreFacts } from './datacenter-resources';
import { searchDatastore } from './datastore-search';
import { disksOf, readDevices } from './devices';
import { filterSpecXml, readObjectContent, retrieveObjects, retrieveOne, type FilterSpec, type ObjectContent } from './property-collector';
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

/**
 * The VMs that may use files on these datastores: the ones stored there (Datastore.vm) and
 * every VM of a host that mounts one of them (HostSystem.datastore). vcsim 0.24 keeps
 * neither Datastore.vm (a disk added on another datastore) nor Datastore.host (the last
 * host only) up to date; a VM only reaches the datastores its host mounts.
 */
export async function vmsOn(client: VimClient, datastores: ManagedObjectReference[]): Promise<ManagedObjectReference[]> {
  const wanted = new Set(datastores.map((d) => d.value));
  const stored = await retrieveObjects(client, datastores, { Datastore: ['vm'] });
  const hosts = (await everyHost(client)).filter((h) => readMoRefArray(h.props.get('datastore')).some((d) => wanted.has(d.value)));
  const vms = [...stored, ...hosts].flatMap((f) => readMoRefArray(f.props.get('vm')));
  return [...new Map(vms.map((r) => [r.value, r])).values()];
}

/** Every host of the server with its datastores and VMs: folders → datacenters' host folders → compute resources → hosts. */
async function everyHost(client: VimClient): Promise<ObjectContent[]> {
  const spec: FilterSpec = {
    root: client.serviceContent.rootFolder,
    propSet: { HostSystem: ['datastore', 'vm'] },
    traversal: [
      { name: 'folderChildren', type: 'Folder', path: 'childEntity', selectSet: ['folderChildren', 'datacenterHosts', 'computeHosts'] },
      { name: 'datacenterHosts', type: 'Datacenter', path: 'hostFolder', selectSet: ['folderChildren'] },
      { name: 'computeHosts', type: 'ComputeResource', path: 'host', selectSet: [] },
    ],
  };
  const pc = client.serviceContent.propertyCollector;
  return client.withSession(async () => {
    const out: ObjectContent[] = [];
    let result = await client.call('RetrievePropertiesEx', pc, [filterSpecXml('specSet', spec), el('options', '')], { reauth: false });
    for (;;) {
      out.push(...children(result, 'objects').map(readObjectContent).filter((o) => o.obj.type === 'HostSystem'));
      const token = childText(result, 'token')?.trim();
      if (!token) return out;
      result = await client.call('ContinueRetrievePropertiesEx', pc, [el('token', token)], { reauth: false });
    }
  });
}

/** Every disk file a VM or snapshot that may reach these datastores uses, by path, with the VM's name. */
export async function diskFilesInUse(client: VimClient, stores: DatastoreFacts[]): Promise<Map<string, string>> {
  const vms = await vmsOn(client, stores.map((s) => s.ref));
  const read = await retrieveObjects(client, vms, { VirtualMachine: ['name', 'config.hardware.device', 'layoutEx.file', 'layoutEx.snapshot'] });
  const used = new Map<string, string>();
  for (const vm of read) {
    const name = text(vm.props.get('name'))?.trim() ?? vm.obj.value;
    for (const path of usedBy(vm.props.get('config.hardware.device'), vm.props.get('layoutEx.file'), vm.props.get('layoutEx.snapshot'))) used.set(samePath(path), name);
  }
  return used;
}

/** The disk files of one VM: its disks' backings and their parents, and its snapshots' disk chains. */
export function usedBy(devices: XmlNode | undefined, layoutFiles: XmlNode | undefined, layoutSnapshots: XmlNode | undefined): string[] {
  return [...backingFiles(devices), ...snapshotFiles(layoutFiles, layoutSnapshots)];
}

/** The files the VM's disks run on: each backing and the parents below it (snapshot deltas). */
export function backingFiles(devices: XmlNode | undefined): string[] {
  const paths: string[] = [];
  for (const disk of disksOf(readDevices(devices))) {
    for (let backing = child(disk.node, 'backing'); backing !== undefined; backing = child(backing, 'parent')) {
      const file = childText(backing, 'fileName')?.trim();
      if (file) paths.push(file);
    }
  }
  return paths;
}

/** The files the VM's snapshots hold: layoutEx.snapshot disk chains, their file keys named in layoutEx.file. */
export function snapshotFiles(layoutFiles: XmlNode | undefined, layoutSnapshots: XmlNode | undefined): string[] {
  const fileNames = new Map(children(layoutFiles, 'VirtualMachineFileLayoutExFileInfo').map((f) => [childText(f, 'key')?.trim(), childText(f, 'name')?.trim()]));
  const paths: string[] = [];
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
