// Storage (issue 16): a storage node's disks and its rescan, asked of the node's
// server. The platform's facet says whether it has either; the node's own server
// must be connected.

import { PolyvisorError } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import type { StorageContents, StorageFacet } from '../../../shared/storage';
import type { TaskInfo } from '../../../shared/contract';
import type { InventoryStore } from '../inventory/inventory-store';
import type { ProviderStorage } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { TaskManager } from '../tasks/task-manager';
import type { ConnectionService } from './connections';

export class StorageService {
  constructor(
    private readonly servers: ServerStore,
    private readonly registry: ProviderRegistry,
    private readonly connections: ConnectionService,
    private readonly inventory: InventoryStore,
    private readonly tasks: TaskManager,
  ) {}

  async contents(nodeId: string): Promise<StorageContents> {
    const node = this.storageNode(nodeId);
    if (!this.facetOf(node)?.contents) throw this.unsupported(node, 'cannot list what is on its storage');
    const disks = await this.storageOf(node).contents(node.nativeRef);
    return { nodeId, disks };
  }

  rescan(nodeId: string): TaskInfo {
    const node = this.storageNode(nodeId);
    const storage = this.storageOf(node);
    const rescan = storage.rescan?.bind(storage);
    if (!this.facetOf(node)?.rescan || !rescan) throw this.unsupported(node, 'cannot rescan its storage');
    const target = { serverId: node.serverId, targetId: node.id, targetName: node.name, action: 'storage_rescan' };
    return this.tasks.start(target, (reporter) => rescan(node.nativeRef, reporter));
  }

  /** Moves one disk of a guest to a storage node of the same server; the task is the guest's. */
  moveDisk(guestId: string, diskId: string, storageId: string): TaskInfo {
    const guest = this.inventory.get(guestId);
    if (!guest) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(guestId)}.` });
    const target = this.storageNode(storageId);
    if (target.serverId !== guest.serverId || target.kind !== 'storage') throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'storageId', message: `${target.name} is not a storage of ${guest.name}'s server.` });
    const storage = this.storageOf(guest);
    const move = storage.moveDisk?.bind(storage);
    if (!this.facetOf(guest)?.moveDisk || !move) throw this.unsupported(guest, 'cannot move a disk to another storage here');
    const task = { serverId: guest.serverId, targetId: guest.id, targetName: guest.name, action: 'disk_move' };
    return this.tasks.start(task, (reporter) => move({ nativeRef: guest.nativeRef, kind: guest.kind }, diskId, target.nativeRef, reporter));
  }

  private storageNode(nodeId: string): InventoryNode {
    const node = this.inventory.get(nodeId);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(nodeId)}.` });
    if (node.kind !== 'storage' && node.kind !== 'volume') throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${node.name} is not a storage.`, field: 'nodeId' });
    return node;
  }

  private facetOf(node: InventoryNode): StorageFacet | undefined {
    const type = this.servers.get(node.serverId)?.type;
    return type === undefined ? undefined : this.registry.get(type)?.descriptor.facets.storage;
  }

  private storageOf(node: InventoryNode): ProviderStorage {
    const provider = this.connections.liveProvider(node.serverId);
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${this.serverName(node)} is not connected.` });
    if (!provider.storage) throw this.unsupported(node, 'has no storage here');
    return provider.storage;
  }

  private unsupported(node: InventoryNode, what: string): PolyvisorError {
    return new PolyvisorError({ code: 'UNSUPPORTED', message: `${this.serverName(node)} ${what}.` });
  }

  private serverName(node: InventoryNode): string {
    return this.servers.get(node.serverId)?.name ?? 'The server';
  }
}
