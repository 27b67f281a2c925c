// A guest's snapshot list read when it is needed (issue 17): the Snapshots tab and the
// CLI ask for a guest the inventory marks `snapshotsPending`; its provider reads that
// one list now and publishes the snapshot nodes as any other change.

import { PolyvisorError } from '../../../shared/errors';
import type { InventoryStore } from '../inventory/inventory-store';
import type { ServerStore } from '../servers/server-store';
import type { ConnectionService } from './connections';

export class SnapshotListService {
  constructor(
    private readonly servers: ServerStore,
    private readonly connections: ConnectionService,
    private readonly inventory: InventoryStore,
  ) {}

  async read(nodeId: string): Promise<void> {
    const node = this.inventory.get(nodeId);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(nodeId)}.` });
    if (!node.snapshotsPending) return;
    const provider = this.connections.liveProvider(node.serverId);
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${this.servers.require(node.serverId).name} is not connected.` });
    if (!provider.readSnapshotList) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${node.name}'s server has no snapshot list to read.` });
    await provider.readSnapshotList({ nativeRef: node.nativeRef, kind: node.kind });
  }
}
