// A guest's disks (issue 16): add, attach, resize, detach, asked of the guest's server.
// The platform's storage facet says which it has; each change runs as a task of the guest.

import { PolyvisorError } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import type { FreeDisk, NewDisk } from '../../../shared/disks';
import type { StorageFacet } from '../../../shared/storage';
import type { ChannelHandlers, TaskInfo } from '../../../shared/contract';
import type { DiskChannels } from '../../../shared/channels/disks';
import type { InventoryStore } from '../inventory/inventory-store';
import type { ProviderDisks } from '../providers/provider-disks';
import type { TaskReporter, ActionResult } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { TaskManager } from '../tasks/task-manager';
import type { ConnectionService } from './connections';

const GUEST_KINDS = new Set(['vm', 'container', 'template']);
type DiskOp = 'addDisk' | 'attachDisk' | 'resizeDisk' | 'detachDisk';
const REFUSAL: Record<DiskOp, string> = {
  addDisk: 'cannot add a disk to a guest here',
  attachDisk: 'cannot attach an existing disk to a guest here',
  resizeDisk: "cannot resize a guest's disk here",
  detachDisk: "cannot detach a guest's disk here",
};

export class DiskService {
  constructor(
    private readonly servers: ServerStore,
    private readonly registry: ProviderRegistry,
    private readonly connections: ConnectionService,
    private readonly inventory: InventoryStore,
    private readonly tasks: TaskManager,
  ) {}

  get handlers(): Pick<ChannelHandlers, keyof DiskChannels> {
    return {
      'disks:attachable': (guestId) => this.attachable(guestId),
      'disks:add': (guestId, disk) => this.add(guestId, disk),
      'disks:attach': (guestId, diskId) => this.run(guestId, 'attachDisk', 'disk_attach', (d, g, r) => d.attach(g, diskId, r)),
      'disks:resize': (guestId, diskId, size) => this.run(guestId, 'resizeDisk', 'disk_resize', (d, g, r) => d.resize(g, diskId, size, r)),
      'disks:detach': (guestId, diskId, options) => this.run(guestId, 'detachDisk', 'disk_detach', (d, g, r) => d.detach(g, diskId, options.deleteDisk, r)),
    };
  }

  attachable(guestId: string): Promise<FreeDisk[]> {
    const guest = this.guest(guestId);
    return this.disksOf(guest, 'attachDisk').attachable(guest);
  }

  add(guestId: string, disk: NewDisk): TaskInfo {
    const guest = this.guest(guestId);
    const storage = this.inventory.get(disk.storageId);
    if (!storage) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'storageId', message: `No inventory item with id ${JSON.stringify(disk.storageId)}.` });
    if (storage.kind !== 'storage' || storage.serverId !== guest.serverId) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'storageId', message: `${storage.name} is not a storage of ${guest.name}'s server.` });
    const name = disk.name ?? `${guest.name} disk`;
    return this.run(guestId, 'addDisk', 'disk_add', (d, g, r) => d.add(g, { storageRef: storage.nativeRef, sizeBytes: disk.sizeBytes, name }, r));
  }

  private run(guestId: string, op: DiskOp, action: string, work: (disks: ProviderDisks, guest: InventoryNode, task: TaskReporter) => Promise<ActionResult>): TaskInfo {
    const guest = this.guest(guestId);
    const disks = this.disksOf(guest, op);
    const target = { serverId: guest.serverId, targetId: guest.id, targetName: guest.name, action };
    return this.tasks.start(target, (reporter) => work(disks, guest, reporter));
  }

  private guest(id: string): InventoryNode {
    const node = this.inventory.get(id);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
    if (!GUEST_KINDS.has(node.kind)) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'guestId', message: `${node.name} is not a VM or container.` });
    return node;
  }

  private facet(serverId: string): StorageFacet | undefined {
    const type = this.servers.get(serverId)?.type;
    return type === undefined ? undefined : this.registry.get(type)?.descriptor.facets.storage;
  }

  private disksOf(guest: InventoryNode, op: DiskOp): ProviderDisks {
    const serverName = this.servers.get(guest.serverId)?.name ?? 'The server';
    if (!this.facet(guest.serverId)?.[op]) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${serverName} ${REFUSAL[op]}.` });
    const provider = this.connections.liveProvider(guest.serverId);
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${serverName} is not connected.` });
    const disks = provider.storage?.disks;
    if (!disks) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${serverName} ${REFUSAL[op]}.` });
    return disks;
  }
}
