// vSphere datastores as storage nodes (issue 16): under the host that alone mounts a
// datastore that is not multi-host, else under their datacenter (as the vSphere
// Client's Storage view groups them); size, free space and the mounting hosts from
// the datastore's summary and `host` mounts. The storage tab reads the disks of the
// VMs on it (their VirtualDisk backings on this datastore) and the disk files no VM's disk
// runs on, found with the datastore browser: held by a snapshot, or free to attach;
// rescan is RefreshDatastore.

import { PolyvisorError } from '../../../../shared/errors';
import { nodeId, type InventoryNode } from '../../../../shared/model';
import type { StorageDisk, StorageInfo } from '../../../../shared/storage';
import type { ActionResult, ProviderStorage, TaskReporter } from '../provider';
import { datastoreFacts } from './datacenter-resources';
import { backingFiles, diskFilesOn, samePath, snapshotFiles, vmsOn } from './disk-files';
import { disksOf, readDevices } from './devices';
import { quietReporter } from './guest-properties';
import { retrieveObjects, retrieveOne, type PropertyValues } from './property-collector';
import type { VimClient } from './vim-client';
import { VsphereVmDisks } from './vm-disks';
import { child, children, readBool, readMoRef, readMoRefArray, readNumber, text, type ManagedObjectReference } from './xml';

export const DATASTORE_PATHS = ['name', 'parent', 'summary.capacity', 'summary.freeSpace', 'summary.type', 'summary.multipleHostAccess', 'summary.accessible', 'host'] as const;

/** The hosts that have the datastore mounted (DatastoreHostMount.key). */
function mountedHosts(props: PropertyValues): string[] {
  return children(props.get('host'), 'DatastoreHostMount')
    .filter((m) => readBool(child(child(m, 'mountInfo'), 'mounted')) !== false)
    .flatMap((m) => readMoRef(child(m, 'key'))?.value ?? []);
}

export function datastoreNode(serverId: string, ref: string, props: PropertyValues, datacenterId: string | null): InventoryNode {
  const hosts = mountedHosts(props);
  const shared = readBool(props.get('summary.multipleHostAccess')) === true || hosts.length > 1;
  const size = readNumber(props.get('summary.capacity')) ?? null;
  const free = readNumber(props.get('summary.freeSpace')) ?? null;
  const storage: StorageInfo = {
    type: text(props.get('summary.type'))?.trim() ?? '',
    shared,
    size,
    used: size !== null && free !== null ? Math.max(0, size - free) : null,
    free,
    hostIds: hosts.map((h) => nodeId(serverId, 'host', h)).sort(),
  };
  const accessible = readBool(props.get('summary.accessible'));
  return {
    id: nodeId(serverId, 'storage', ref),
    serverId,
    kind: 'storage',
    name: text(props.get('name'))?.trim() ?? ref,
    parentId: !shared && hosts.length === 1 ? nodeId(serverId, 'host', hosts[0]!) : datacenterId,
    nativeRef: ref,
    allowed: [],
    props: accessible === undefined ? {} : { accessible },
    storage,
  };
}

const datastore = (ref: string): ManagedObjectReference => ({ type: 'Datastore', value: ref });

export class VsphereStorage implements ProviderStorage {
  /** a VM's disks added, grown, removed (vm-disks.ts) */
  readonly disks: VsphereVmDisks;

  constructor(private readonly deps: { serverId: () => string; client: () => VimClient; reread: (refs: ManagedObjectReference[]) => Promise<void> }) {
    this.disks = new VsphereVmDisks(deps);
  }

  async contents(ref: string): Promise<StorageDisk[]> {
    const client = this.deps.client();
    const props = await retrieveOne(client, datastore(ref), ['name']);
    if (!props) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has datastore ${ref}.` });
    const vms = await retrieveObjects(client, await vmsOn(client, [datastore(ref)]), {
      VirtualMachine: ['name', 'config.template', 'config.hardware.device', 'layoutEx.file', 'layoutEx.snapshot'],
    });
    const out: StorageDisk[] = [];
    const running = new Set<string>();
    const heldBy = new Map<string, StorageDisk['usedBy'][number]>();
    for (const vm of vms) {
      const kind = readBool(vm.props.get('config.template')) ? 'template' : 'vm';
      const user = { id: nodeId(this.deps.serverId(), kind, vm.obj.value), name: text(vm.props.get('name'))?.trim() ?? vm.obj.value };
      for (const disk of disksOf(readDevices(vm.props.get('config.hardware.device')))) {
        if (disk.datastore?.value !== ref) continue;
        out.push({ ref: disk.fileName || `${vm.obj.value}/${disk.key}`, name: disk.fileName || disk.label, size: disk.capacityBytes, snapshot: false, content: 'disk', usedBy: [user] });
      }
      for (const file of backingFiles(vm.props.get('config.hardware.device'))) running.add(samePath(file));
      for (const file of snapshotFiles(vm.props.get('layoutEx.file'), vm.props.get('layoutEx.snapshot'))) heldBy.set(samePath(file), user);
    }
    out.push(...(await this.looseFiles(ref, running, heldBy)));
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The datastore's disk files no VM's disk runs on: a snapshot's (with its VM), or free. */
  private async looseFiles(ref: string, running: Set<string>, heldBy: Map<string, StorageDisk['usedBy'][number]>): Promise<StorageDisk[]> {
    const client = this.deps.client();
    const stores = (await datastoreFacts(client, [datastore(ref)])).filter((ds) => ds.accessible && ds.browser);
    const files = await diskFilesOn(client, stores, quietReporter());
    return files
      .filter((f) => !running.has(samePath(f.path)))
      .map((f) => {
        const holder = heldBy.get(samePath(f.path));
        return { ref: f.path, name: f.path, size: f.sizeBytes ?? null, snapshot: holder !== undefined, content: 'disk', usedBy: holder ? [holder] : [] };
      });
  }

  /** RefreshDatastore: the host looks at the datastore's space again. */
  async rescan(ref: string, task: TaskReporter): Promise<ActionResult> {
    await this.deps.client().call('RefreshDatastore', datastore(ref), []);
    await this.deps.reread([datastore(ref)]);
    task.progress(1);
    return {};
  }
}
