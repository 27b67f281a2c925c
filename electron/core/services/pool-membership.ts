// Pool membership (XenCenter's Add Server to Pool): which connected pools a
// standalone host could join, each with the servers' reason why not, and the join
// itself as a task on the joining server. The host's provider checks and joins;
// the core hands it the live provider of the pool's server. Leaving a pool
// (pool_eject) is a plain action on the member host.

import type { ActionParams, TaskInfo } from '../../../shared/contract';
import { PolyvisorError, toErrorInfo } from '../../../shared/errors';
import type { PoolJoinChoice, PoolJoinPlan } from '../../../shared/migration';
import type { InventoryNode } from '../../../shared/model';
import type { InventoryStore } from '../inventory/inventory-store';
import type { Provider, ProviderPools } from '../providers/provider';
import type { ServerStore } from '../servers/server-store';
import type { TaskManager } from '../tasks/task-manager';
import type { ConnectionService } from './connections';

export class PoolMembershipService {
  constructor(
    private readonly servers: ServerStore,
    private readonly connections: ConnectionService,
    private readonly inventory: InventoryStore,
    private readonly tasks: TaskManager,
  ) {}

  async joinPlan(hostId: string): Promise<PoolJoinPlan> {
    const host = this.host(hostId);
    const pools = this.poolsOf(host.serverId);
    const choices: PoolJoinChoice[] = [];
    for (const { pool, provider } of this.otherPools(host.serverId)) {
      try {
        const reason = await pools.joinReason(host.nativeRef, provider);
        choices.push({ poolId: pool.id, ok: !reason, ...(reason ? { reason } : {}) });
      } catch (e) {
        choices.push({ poolId: pool.id, ok: false, reason: toErrorInfo(e) });
      }
    }
    return { hostId, pools: choices };
  }

  /** Starts `pool_join` of `host` (checked by the caller against its allowed actions) into params.targetId. */
  startJoin(host: InventoryNode, params: ActionParams): TaskInfo {
    const pools = this.poolsOf(host.serverId);
    if (!params.targetId) throw invalid(`Add ${host.name} to a pool: choose the pool.`);
    const pool = this.inventory.get(params.targetId);
    if (!pool || pool.kind !== 'pool') throw invalid(`${JSON.stringify(params.targetId)} is not a pool.`);
    const poolServer = this.servers.require(pool.serverId);
    if (pool.serverId === host.serverId) throw invalid(`${host.name} is already in ${pool.name}.`);
    if (poolServer.type !== this.servers.require(host.serverId).type) throw invalid(`${host.name} cannot join ${pool.name}: ${poolServer.name} is another kind of server.`);
    const destination = this.connections.liveProvider(pool.serverId);
    if (!destination) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${poolServer.name} is not connected.` });
    return this.tasks.start({ serverId: host.serverId, targetId: host.id, targetName: host.name, action: 'pool_join' }, (reporter) =>
      pools.join(host.nativeRef, destination, reporter),
    );
  }

  /** The pool node of every other connected server of the same type. */
  private otherPools(serverId: string): Array<{ pool: InventoryNode; provider: Provider }> {
    const type = this.servers.require(serverId).type;
    return this.servers
      .list()
      .filter((s) => s.id !== serverId && s.type === type)
      .flatMap((server) => {
        const provider = this.connections.liveProvider(server.id);
        if (!provider) return [];
        return this.inventory
          .idsOf(server.id)
          .map((id) => this.inventory.get(id)!)
          .filter((n) => n.kind === 'pool')
          .map((pool) => ({ pool, provider }));
      });
  }

  private poolsOf(serverId: string): ProviderPools {
    const provider = this.connections.liveProvider(serverId);
    const name = this.servers.get(serverId)?.name ?? 'The server';
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${name} is not connected.` });
    if (!provider.pools) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${name} cannot join a pool.` });
    return provider.pools;
  }

  private host(id: string): InventoryNode {
    const node = this.inventory.get(id);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
    if (node.kind !== 'host') throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${node.name} is not a host.`, field: 'hostId' });
    return node;
  }
}

function invalid(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message, field: 'targetId' });
}
