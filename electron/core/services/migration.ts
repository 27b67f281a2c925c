// Moving VMs (issue 13): which hosts can take them (the servers' own checks, per
// provider), where a host's VMs would go on evacuation, and the cross-server moves
// the core sets up between two connected servers of the same type (XAPI cross-pool
// storage migration, Docker engine to engine). The moves themselves are tasks.

import type { ActionParams, TaskInfo } from '../../../shared/contract';
import { PolyvisorError, toErrorInfo } from '../../../shared/errors';
import type { EvacuationPlan, MigrationPlan, MigrationTarget, VmMigrationTargets } from '../../../shared/migration';
import { nodeId, type InventoryNode } from '../../../shared/model';
import type { InventoryStore } from '../inventory/inventory-store';
import type { Provider, ProviderMigration } from '../providers/provider';
import type { ServerStore } from '../servers/server-store';
import type { TaskManager } from '../tasks/task-manager';
import type { ConnectionService } from './connections';

const MOVABLE_KINDS = new Set(['vm', 'container']);
const TARGET_KINDS = new Set(['host']);

export class MigrationService {
  constructor(
    private readonly servers: ServerStore,
    private readonly connections: ConnectionService,
    private readonly inventory: InventoryStore,
    private readonly tasks: TaskManager,
  ) {}

  async plan(vmIds: string[]): Promise<MigrationPlan> {
    const vms = vmIds.map((id) => this.movable(id));
    const byServer = new Map<string, InventoryNode[]>();
    for (const vm of vms) byServer.set(vm.serverId, [...(byServer.get(vm.serverId) ?? []), vm]);
    const answers = new Map<string, VmMigrationTargets>();
    await Promise.all(
      [...byServer].map(async ([serverId, members]) => {
        const migration = this.migrationOf(serverId);
        const within = await migration.plan(members.map((m) => m.nativeRef));
        const across = migration.crossServer ? await this.crossServerTargets(serverId) : [];
        for (const vm of members) {
          const own = within.find((w) => w.vmRef === vm.nativeRef)?.targets ?? [];
          const targets: MigrationTarget[] = own.map((t) => ({
            hostId: nodeId(serverId, 'host', t.hostRef),
            ok: t.ok,
            ...(t.reason ? { reason: t.reason } : {}),
            ...(t.offline ? { offline: true } : {}),
          }));
          answers.set(vm.id, { vmId: vm.id, targets: [...targets, ...across] });
        }
      }),
    );
    return { vms: vmIds.map((id) => answers.get(id)!) };
  }

  async evacuationPlan(hostId: string): Promise<EvacuationPlan> {
    const host = this.node(hostId);
    if (!TARGET_KINDS.has(host.kind)) throw invalid(`${host.name} is not a host.`, 'hostId');
    const steps = await this.migrationOf(host.serverId).evacuationPlan(host.nativeRef);
    const planned = steps.map((s) => ({
      vmId: this.idOfMovable(host.serverId, s.vmRef),
      ...(s.hostRef ? { targetHostId: nodeId(host.serverId, 'host', s.hostRef) } : {}),
      ...(s.reason ? { reason: s.reason } : {}),
    }));
    return { hostId, steps: planned, canEvacuate: planned.every((s) => s.targetHostId && !s.reason) };
  }

  /**
   * The provider params of a `migrate` on `vm`: a host of the same server becomes its native ref;
   * a host of another server is a cross-server move, returned as a task of its own to start.
   */
  resolveTarget(vm: InventoryNode, params: ActionParams): { sameServer: ActionParams & { targetRef: string } } | { crossServer: InventoryNode } {
    if (!params.targetId) throw invalid(`Migrate ${vm.name}: choose the host to move it to.`, 'targetId');
    const target = this.inventory.get(params.targetId);
    if (!target || !TARGET_KINDS.has(target.kind)) throw invalid(`Migrate ${vm.name}: ${JSON.stringify(params.targetId)} is not a host.`, 'targetId');
    if (target.serverId === vm.serverId) {
      if (vm.parentId === target.id) throw invalid(`${vm.name} is already on ${target.name}.`, 'targetId');
      const { targetId: _targetId, ...rest } = params;
      return { sameServer: { ...rest, targetRef: target.nativeRef } };
    }
    return { crossServer: target };
  }

  /** Starts the move of `vm` to `target`, a host of another connected server of the same type. */
  startCrossServer(vm: InventoryNode, source: Provider, target: InventoryNode, params: ActionParams): TaskInfo {
    const sourceType = this.servers.require(vm.serverId).type;
    const targetServer = this.servers.require(target.serverId);
    if (targetServer.type !== sourceType) {
      throw invalid(`${vm.name} cannot move to ${target.name}: ${targetServer.name} is another kind of server.`, 'targetId');
    }
    const send = source.migration?.crossServer?.send;
    if (!send) throw unsupported(`${this.servers.require(vm.serverId).name} cannot move VMs to another server.`);
    const destination = this.connections.liveProvider(target.serverId);
    if (!destination) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${targetServer.name} is not connected.` });
    const options = params.storageId ? { storageId: params.storageId } : {};
    return this.tasks.start({ serverId: vm.serverId, targetId: vm.id, targetName: vm.name, action: 'migrate' }, (reporter) =>
      send.call(source.migration!.crossServer, vm.nativeRef, destination, target.nativeRef, options, reporter),
    );
  }

  /** Hosts of the other connected servers of the same type, with where a VM may land on each. */
  private async crossServerTargets(sourceServerId: string): Promise<MigrationTarget[]> {
    const type = this.servers.require(sourceServerId).type;
    const others = this.servers.list().filter((s) => s.id !== sourceServerId && s.type === type);
    const found: MigrationTarget[] = [];
    for (const server of others) {
      const landing = this.connections.liveProvider(server.id)?.migration?.crossServer?.landing;
      if (!landing) continue;
      const hosts = this.inventory
        .idsOf(server.id)
        .map((id) => this.inventory.get(id)!)
        .filter((n) => n.kind === 'host');
      for (const host of hosts) {
        try {
          const { storages, offline } = await landing(host.nativeRef);
          found.push({ hostId: host.id, ok: true, crossServer: true, storages, ...(offline ? { offline } : {}) });
        } catch (e) {
          found.push({ hostId: host.id, ok: false, crossServer: true, reason: toErrorInfo(e) });
        }
      }
    }
    return found;
  }

  private migrationOf(serverId: string): ProviderMigration {
    const provider = this.connections.liveProvider(serverId);
    const name = this.servers.get(serverId)?.name ?? 'The server';
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${name} is not connected.` });
    if (!provider.migration) throw unsupported(`${name} cannot move VMs between hosts.`);
    return provider.migration;
  }

  private idOfMovable(serverId: string, ref: string): string {
    const vm = nodeId(serverId, 'vm', ref);
    return this.inventory.get(vm) ? vm : nodeId(serverId, 'container', ref);
  }

  private movable(id: string): InventoryNode {
    const node = this.node(id);
    if (!MOVABLE_KINDS.has(node.kind)) throw invalid(`${node.name} is a ${node.kind}; only VMs and containers move.`, 'vmIds');
    return node;
  }

  private node(id: string): InventoryNode {
    const node = this.inventory.get(id);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
    return node;
  }
}

function invalid(message: string, field: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message, field });
}

function unsupported(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'UNSUPPORTED', message });
}
