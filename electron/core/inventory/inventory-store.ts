// One normalized store of every server's inventory. Providers push deltas; the
// store keeps a node per id, hangs each server's roots under its server node, and
// sends the renderer coalesced deltas (at most one per server per batch window)
// so a 10,000-VM pool's event storm becomes a few events.

import type { ConnectionState, InventoryDelta, InventoryNode } from '../../../shared/model';
import { nodeId } from '../../../shared/model';
import type { ErrorInfo } from '../../../shared/errors';
import type { HypervisorType } from '../../../shared/model';

export function serverNodeId(serverId: string): string {
  return nodeId(serverId, 'server', serverId);
}

export interface ServerNodeInfo {
  name: string;
  type: HypervisorType;
  host: string;
  port: number;
  connection: ConnectionState;
  error?: ErrorInfo;
}

interface Pending {
  reset: boolean;
  upsert: Map<string, InventoryNode>;
  remove: Set<string>;
}

export interface InventoryStoreOptions {
  emit: (delta: InventoryDelta) => void;
  /** deltas arriving within this window are sent as one (per server) */
  batchMs?: number;
}

export class InventoryStore {
  private readonly nodes = new Map<string, InventoryNode>();
  private readonly byServer = new Map<string, Set<string>>();
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private readonly batchMs: number;

  constructor(private readonly options: InventoryStoreOptions) {
    this.batchMs = options.batchMs ?? 30;
  }

  all(): InventoryNode[] {
    return [...this.nodes.values()];
  }

  get(id: string): InventoryNode | undefined {
    return this.nodes.get(id);
  }

  /** Node ids of one server (its server node included). */
  idsOf(serverId: string): string[] {
    return [...(this.byServer.get(serverId) ?? [])];
  }

  /** Creates or refreshes the server's own node (the root of its tree). */
  setServer(serverId: string, info: ServerNodeInfo): void {
    const node: InventoryNode = {
      id: serverNodeId(serverId),
      serverId,
      kind: 'server',
      name: info.name,
      parentId: null,
      nativeRef: serverId,
      allowed: [],
      props: {
        type: info.type,
        host: info.host,
        port: info.port,
        connection: info.connection,
        error: info.error?.message ?? null,
        errorCode: info.error?.code ?? null,
      },
    };
    this.put(node);
    this.pendingFor(serverId).upsert.set(node.id, node);
    this.schedule();
  }

  /** Applies a provider's delta. A reset replaces everything the server had below its server node. */
  apply(delta: InventoryDelta): void {
    const { serverId } = delta;
    const rootId = serverNodeId(serverId);
    const pending = this.pendingFor(serverId);
    if (delta.reset) {
      const incoming = new Set(delta.upsert.map((n) => n.id));
      for (const id of this.idsOf(serverId)) {
        if (id === rootId || incoming.has(id)) continue;
        this.drop(id, serverId);
        pending.upsert.delete(id);
        pending.remove.add(id);
      }
      pending.reset = true;
      const root = this.nodes.get(rootId);
      if (root) pending.upsert.set(rootId, root);
    }
    for (const raw of delta.upsert) {
      if (raw.serverId !== serverId || raw.id === rootId) continue;
      const node = raw.parentId === null ? { ...raw, parentId: rootId } : raw;
      this.put(node);
      pending.upsert.set(node.id, node);
      pending.remove.delete(node.id);
    }
    for (const id of delta.remove) {
      if (id === rootId || !this.nodes.has(id) || this.nodes.get(id)!.serverId !== serverId) continue;
      this.drop(id, serverId);
      pending.upsert.delete(id);
      pending.remove.add(id);
    }
    this.schedule();
  }

  /** Removes every node of the server below its server node (disconnect). */
  clearServer(serverId: string): void {
    this.apply({ serverId, reset: true, upsert: [], remove: [] });
  }

  /** Removes the server entirely, its server node included (server removed). */
  removeServer(serverId: string): void {
    const ids = this.idsOf(serverId);
    const pending = this.pendingFor(serverId);
    for (const id of ids) {
      this.drop(id, serverId);
      pending.upsert.delete(id);
      pending.remove.add(id);
    }
    pending.reset = true;
    this.schedule();
  }

  /** Sends whatever is pending now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending.entries()];
    this.pending.clear();
    for (const [serverId, p] of batches) {
      if (!p.reset && p.upsert.size === 0 && p.remove.size === 0) continue;
      const delta: InventoryDelta = { serverId, upsert: [...p.upsert.values()], remove: [...p.remove] };
      if (p.reset) delta.reset = true;
      this.options.emit(delta);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private put(node: InventoryNode): void {
    this.nodes.set(node.id, node);
    let ids = this.byServer.get(node.serverId);
    if (!ids) this.byServer.set(node.serverId, (ids = new Set()));
    ids.add(node.id);
  }

  private drop(id: string, serverId: string): void {
    this.nodes.delete(id);
    const ids = this.byServer.get(serverId);
    ids?.delete(id);
    if (ids && ids.size === 0) this.byServer.delete(serverId);
  }

  private pendingFor(serverId: string): Pending {
    let p = this.pending.get(serverId);
    if (!p) this.pending.set(serverId, (p = { reset: false, upsert: new Map(), remove: new Set() }));
    return p;
  }

  private schedule(): void {
    if (this.timer || this.batchMs < 0) return;
    this.timer = setTimeout(() => this.flush(), this.batchMs);
  }
}
