// What the schedules need from the rest of the core, in one narrow interface:
// servers and their descriptors, live connections and their policy facets, the
// inventory, and actions run as tasks (so a policy's snapshots show in the tasks
// panel like the user's own). The composition root builds it from the services.

import type { ActionRequest, TaskInfo } from '../../../shared/contract';
import type { ProviderDescriptor } from '../../../shared/descriptor';
import { PolyvisorError, type ErrorInfo } from '../../../shared/errors';
import type { Capabilities, InventoryDelta, InventoryNode, NodeKind } from '../../../shared/model';
import type { InventoryStore } from '../inventory/inventory-store';
import { forEachLimited } from '../providers/common/concurrency';
import type { ServerPolicies } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { ConnectionService } from '../services/connections';
import type { NodeOperations } from '../services/node-operations';
import type { SnapshotListService } from '../services/snapshot-lists';
import type { TaskManager } from '../tasks/task-manager';

export interface ScheduleEnvironment {
  now(): Date;
  serverIds(): string[];
  serverName(serverId: string): string;
  descriptorOf(serverId: string): ProviderDescriptor | undefined;
  /** the server's live capabilities when connected, else its descriptor's */
  capabilitiesOf(serverId: string): Capabilities | undefined;
  isConnected(serverId: string): boolean;
  /** the server's own policies, when it is connected and runs them */
  serverPolicies(serverId: string): ServerPolicies | undefined;
  node(id: string): InventoryNode | undefined;
  nodes(): InventoryNode[];
  /** actions on inventory nodes, as tasks */
  runAction(request: ActionRequest): TaskInfo[];
  /** an action on an object the inventory no longer shows (deleted meanwhile): the server answers for it */
  runOnGone(serverId: string, target: { nativeRef: string; kind: NodeKind; name: string }, request: Omit<ActionRequest, 'nodeIds'>): TaskInfo;
  whenDone(taskId: string): Promise<TaskInfo>;
  /** connects servers that are not (with their stored passwords, never asking); `release` disconnects those it connected */
  connect(serverIds: string[]): Promise<{ failures: Map<string, ErrorInfo>; release(): Promise<void> }>;
  /** reads the snapshot lists still pending (Proxmox VE reads them after the tree), so every snapshot a policy took is in the inventory */
  readPendingSnapshotLists(): Promise<void>;
  /** resolves with the first node that satisfies `test` after inventory changes, or undefined after `timeoutMs` */
  waitForNode(test: (node: InventoryNode) => boolean, timeoutMs: number): Promise<InventoryNode | undefined>;
}

/** pending snapshot lists read at once */
const LISTS_AT_ONCE = 8;

export interface ScheduleEnvironmentParts {
  servers: ServerStore;
  registry: ProviderRegistry;
  connections: ConnectionService;
  inventory: InventoryStore;
  operations: NodeOperations;
  tasks: TaskManager;
  snapshotLists: SnapshotListService;
  onInventory(listener: (delta: InventoryDelta) => void): () => void;
  now(): Date;
}

export function scheduleEnvironment(parts: ScheduleEnvironmentParts): ScheduleEnvironment {
  const { servers, registry, connections, inventory, operations, tasks } = parts;
  const descriptorOf = (serverId: string) => {
    const server = servers.get(serverId);
    return server ? registry.get(server.type)?.descriptor : undefined;
  };
  const isConnected = (serverId: string) => connections.status(serverId).state === 'connected';
  return {
    now: parts.now,
    serverIds: () => servers.list().map((s) => s.id),
    serverName: (serverId) => servers.get(serverId)?.name ?? serverId,
    descriptorOf,
    capabilitiesOf: (serverId) => connections.status(serverId).capabilities ?? descriptorOf(serverId)?.facets,
    isConnected,
    serverPolicies: (serverId) => connections.liveProvider(serverId)?.policies,
    node: (id) => inventory.get(id),
    nodes: () => inventory.all(),
    runAction: (request) => operations.runAction(request),
    runOnGone(serverId, target, request) {
      const provider = connections.liveProvider(serverId);
      if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${servers.get(serverId)?.name ?? 'The server'} is not connected.` });
      const taskTarget = { serverId, targetId: `${serverId}:${target.kind}:${target.nativeRef}`, targetName: target.name, action: request.action };
      return tasks.start(taskTarget, (reporter) => provider.runAction({ nativeRef: target.nativeRef, kind: target.kind }, request.action, request.params ?? {}, reporter));
    },
    whenDone: (taskId) => tasks.whenDone(taskId),
    async connect(serverIds) {
      const failures = new Map<string, ErrorInfo>();
      const opened: string[] = [];
      await Promise.all(
        [...new Set(serverIds)].map(async (id) => {
          if (isConnected(id)) return;
          if (!servers.get(id)) {
            failures.set(id, { code: 'NOT_FOUND', message: `The server ${id} is no longer saved in this profile.` });
            return;
          }
          await connections.connect(id);
          const status = connections.status(id);
          if (status.state === 'connected') opened.push(id);
          else failures.set(id, status.error ?? { code: 'CONNECTION_FAILED', message: `${servers.get(id)?.name ?? id} did not connect (${status.state}).` });
        }),
      );
      return { failures, release: async () => void (await Promise.allSettled(opened.map((id) => connections.disconnect(id)))) };
    },
    async readPendingSnapshotLists() {
      // a server not connected shows its last known tree, whose snapshots cannot be deleted now anyway
      const pending = inventory.all().filter((n) => n.snapshotsPending && isConnected(n.serverId));
      await forEachLimited(pending, LISTS_AT_ONCE, (guest) => parts.snapshotLists.read(guest.id));
    },
    waitForNode(test, timeoutMs) {
      const found = () => inventory.all().find(test);
      const now = found();
      if (now) return Promise.resolve(now);
      return new Promise((resolve) => {
        const finish = (node: InventoryNode | undefined) => {
          clearTimeout(timer);
          off();
          resolve(node);
        };
        const timer = setTimeout(() => finish(undefined), timeoutMs);
        const off = parts.onInventory(() => {
          const node = found();
          if (node) finish(node);
        });
      });
    },
  };
}
