// vSphere datastores as storage nodes (issue 16): under the host that alone mounts a
// datastore that is not multi-host, else under their datacenter (as the vSphere
// Client's Storage view groups them); size, free space and the mounting hosts from
// the datastore's summary and `host` mounts. The storage tab reads the disks of the
// VMs on it (their VirtualDisk backings on this datastore); rescan is RefreshDatastore.

import { PolyvisorError } from '../../../../shared/errors';
import { nodeId, type InventoryNode } from '../../../../shared/model';
import type { StorageDisk, StorageInfo } from '../../../../shared/storage';
import type { ActionResult, ProviderStorage, TaskReporter } from '../provider';
import { disksOf, readDevices } from './devices';
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
    const props = await retrieveOne(client, datastore(ref), ['vm']);
    if (!props) throw new PolyvisorError({ code: 'NOT_FOUND', message: `The server no longer has datastore ${ref}.` });
    const vms = await retrieveObjects(client, readMoRefArray(props.get('vm')), { VirtualMachine: ['name', 'config.template', 'config.hardware.device'] });
    const out: StorageDisk[] = [];
    for (const vm of vms) {
      const kind = readBool(vm.props.get('config.template')) ? 'template' : 'vm';
      const user = { id: nodeId(this.deps.serverId(), kind, vm.obj.value), name: text(vm.props.get('name'))?.trim() ?? vm.obj.value };
      for (const disk of disksOf(readDevices(vm.props.get('config.hardware.device')))) {
        if (disk.datastore?.value !== ref) continue;
        out.push({ ref: disk.fileName || `${vm.obj.value}/${disk.key}`, name: disk.fileName || disk.label, size: disk.capacityBytes, snapshot: false, content: 'disk', usedBy: [user] });
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** RefreshDatastore: the host looks at the datastore's space again. */
  async rescan(ref: string, task: TaskReporter): Promise<ActionResult> {
    await this.deps.client().call('RefreshDatastore', datastore(ref), []);
    await this.deps.reread([datastore(ref)]);
    task.progress(1);
    return {};
  }
}
