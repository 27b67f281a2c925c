// What the user does to inventory items: actions (power, snapshots) as tasks,
// consoles and logs through the console broker. Every request names nodes by id;
// each must exist, belong to a connected server and allow the action now.

import type { ActionParams, ActionRequest, ConsoleOptions, ConsoleTicket, LogsOptions, TaskInfo } from '../../../shared/contract';
import { defaultSnapshotName, snapshotNameProblem } from '../../../shared/descriptor';
import { PolyvisorError } from '../../../shared/errors';
import { nodeId, type InventoryNode } from '../../../shared/model';
import { checkAction } from '../actions/action-check';
import type { ConsoleBroker } from '../console-broker';
import { logConsoleStream } from '../console/log-stream';
import type { InventoryStore } from '../inventory/inventory-store';
import type { Provider } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { TaskManager, TaskTarget } from '../tasks/task-manager';
import type { ConnectionService } from './connections';
import type { MigrationService } from './migration';
import type { PoolMembershipService } from './pool-membership';

export class NodeOperations {
  constructor(
    private readonly servers: ServerStore,
    private readonly registry: ProviderRegistry,
    private readonly connections: ConnectionService,
    private readonly inventory: InventoryStore,
    private readonly tasks: TaskManager,
    private readonly consoles: ConsoleBroker,
    private readonly migration: MigrationService,
    private readonly pools: PoolMembershipService,
  ) {}

  runAction(request: ActionRequest): TaskInfo[] {
    // every item is checked before the first task starts: a bad one starts none
    const plans = request.nodeIds.map((id) => {
      const { node, provider } = this.live(id);
      checkAction(node, request.action);
      const params = this.paramsFor(node, request.action, request.params ?? {});
      if (request.action === 'pool_join') return { node, provider, params, join: true };
      if (request.action !== 'migrate') return { node, provider, params };
      const resolved = this.migration.resolveTarget(node, params);
      return 'sameServer' in resolved ? { node, provider, params: resolved.sameServer } : { node, provider, params, crossServer: resolved.crossServer };
    });
    return plans.map(({ node, provider, params, crossServer, join }) =>
      join
        ? this.pools.startJoin(node, params)
        : crossServer
        ? this.migration.startCrossServer(node, provider, crossServer, params)
        : this.tasks.start({ serverId: node.serverId, targetId: node.id, targetName: node.name, ...this.ownerOf(node), action: request.action }, (reporter) =>
            provider.runAction({ nativeRef: node.nativeRef, kind: node.kind }, request.action, params, reporter),
          ),
    );
  }

  async openConsole(id: string, protocol: 'rfb' | 'text', options: ConsoleOptions = {}): Promise<ConsoleTicket> {
    const { node, provider } = this.live(id);
    if (!provider.openConsole || !provider.capabilities.consoles.includes(protocol)) {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${this.serverName(node.serverId)} offers no ${protocol === 'rfb' ? 'graphical' : 'text'} console.` });
    }
    const target = { nativeRef: node.nativeRef, kind: node.kind };
    const shell = options.shell ? { shell: options.shell } : {};
    return this.consoles.open({ nodeId: id, protocol, node: { ...node }, openStream: () => provider.openConsole!(target, protocol, shell) });
  }

  async consoleShells(id: string): Promise<string[]> {
    const { node, provider } = this.live(id);
    if (!provider.consoleShells) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${this.serverName(node.serverId)} starts no shell of the user's choice.` });
    return provider.consoleShells({ nativeRef: node.nativeRef, kind: node.kind });
  }

  async openLogs(id: string, options: LogsOptions = {}): Promise<ConsoleTicket> {
    const { node, provider } = this.live(id);
    if (!provider.openLogs || node.kind !== 'container') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${node.name} has no log to show.` });
    const target = { nativeRef: node.nativeRef, kind: node.kind };
    return this.consoles.open({ nodeId: id, protocol: 'text', node: { ...node }, openStream: async () => logConsoleStream(await provider.openLogs!(target, options)) });
  }

  /** A snapshot gets a name the platform accepts: the user's, checked, or the platform's default. */
  private paramsFor(node: InventoryNode, action: ActionRequest['action'], params: ActionParams): ActionParams {
    if (action !== 'snapshot_create') return { ...params };
    const rule = this.registry.require(this.servers.require(node.serverId).type).descriptor.snapshotName;
    const name = params.name?.trim() || defaultSnapshotName(rule, node.name, new Date());
    const problem = snapshotNameProblem(rule, name);
    if (problem) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `${problem} ("${name}")`, field: 'name' });
    return { ...params, name };
  }

  /** A snapshot's VM or container, named in its tasks ("VM › snapshot"). */
  private ownerOf(node: InventoryNode): { ownerName?: string } {
    const owner = node.snapshot ? this.inventory.get(node.snapshot.ofId) : undefined;
    return owner ? { ownerName: owner.name } : {};
  }

  private live(id: string): { node: InventoryNode; provider: Provider } {
    const node = this.inventory.get(id);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
    const provider = this.connections.liveProvider(node.serverId);
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${this.serverName(node.serverId)} is not connected.` });
    return { node, provider };
  }

  private serverName(serverId: string): string {
    return this.servers.get(serverId)?.name ?? 'The server';
  }
}

/** A provider may report the created object's native ref or its full node id. */
export function resultNodeId(target: TaskTarget, resultId: string): string {
  if (resultId.startsWith(`${target.serverId}:`)) return resultId;
  return target.action === 'snapshot_create' ? nodeId(target.serverId, 'snapshot', resultId) : resultId;
}
