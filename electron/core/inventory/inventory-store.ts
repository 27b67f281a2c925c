// One normalized store of every server's inventory. Providers push deltas; the
// store keeps a node per id, hangs each server's roots under its server node, and
// sends the renderer coalesced deltas (at most one per server per batch window)
// so a 10,000-VM pool's event storm becomes a few events. A pool's first load (tens of
// thousands of nodes) is applied in slices, so it never holds the event loop for long.

import type { ConnectionState, InventoryDelta, InventoryNode } from '../../../shared/model';
import { nodeId } from '../../../shared/model';
import type { ErrorInfo } from '../../../shared/errors';
import type { HypervisorType } from '../../../shared/model';
import { inUnits, SLICE_MS, stepToEnd, stepUntil } from '../util/time-slices';

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

/** Deltas up to this many nodes are applied at once (~10 ms here); larger ones in slices. */
const SLICE_ABOVE_NODES = 2_000;
/** Nodes applied between two looks at the clock. */
const APPLY_UNIT = 256;

interface QueuedDelta {
  serverId: string;
  steps: Iterator<unknown>;
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
  /** large deltas being applied in slices, in the order they came */
  private readonly queue: QueuedDelta[] = [];
  /** server → how many of its deltas are queued */
  private readonly applying = new Map<string, number>();

  constructor(private readonly options: InventoryStoreOptions) {
    this.batchMs = options.batchMs ?? 30;
  }

  all(): InventoryNode[] {
    if (this.queue.length) this.finishQueued();
    return [...this.nodes.values()];
  }

  get(id: string): InventoryNode | undefined {
    if (this.queue.length) this.finishQueued();
    return this.nodes.get(id);
  }

  /** Node ids of one server (its server node included). */
  idsOf(serverId: string): string[] {
    if (this.queue.length) this.finishQueued();
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

  /**
   * Applies a provider's delta. A reset replaces everything the server had below its server
   * node. A large delta (a pool's first load) is applied in slices of the event loop; deltas
   * after it wait their turn, and nothing of it reaches the renderer until it is all in. Reads
   * (all, get, idsOf) finish what is queued first: they always see every delta applied.
   */
  apply(delta: InventoryDelta): void {
    const steps = this.applySteps(delta);
    if (!this.queue.length && delta.upsert.length + delta.remove.length < SLICE_ABOVE_NODES) {
      stepToEnd(steps);
      this.schedule();
      return;
    }
    this.queue.push({ serverId: delta.serverId, steps });
    this.applying.set(delta.serverId, (this.applying.get(delta.serverId) ?? 0) + 1);
    if (this.queue.length === 1) setImmediate(() => this.applySlice());
  }

  private *applySteps(delta: InventoryDelta): Generator<void> {
    const { serverId } = delta;
    const rootId = serverNodeId(serverId);
    const pending = this.pendingFor(serverId);
    if (delta.reset) {
      const incoming = new Set<string>();
      yield* inUnits(delta.upsert, APPLY_UNIT, (n) => incoming.add(n.id));
      yield* inUnits([...(this.byServer.get(serverId) ?? [])], APPLY_UNIT, (id) => {
        if (id === rootId || incoming.has(id)) return;
        this.drop(id, serverId);
        pending.upsert.delete(id);
        pending.remove.add(id);
      });
      pending.reset = true;
      const root = this.nodes.get(rootId);
      if (root) pending.upsert.set(rootId, root);
    }
    yield* inUnits(delta.upsert, APPLY_UNIT, (raw) => {
      if (raw.serverId !== serverId || raw.id === rootId) return;
      const node = raw.parentId === null ? { ...raw, parentId: rootId } : raw;
      this.put(node);
      pending.upsert.set(node.id, node);
      pending.remove.delete(node.id);
    });
    yield* inUnits(delta.remove, APPLY_UNIT, (id) => {
      if (id === rootId || !this.nodes.has(id) || this.nodes.get(id)!.serverId !== serverId) return;
      this.drop(id, serverId);
      pending.upsert.delete(id);
      pending.remove.add(id);
    });
  }

  private applySlice(): void {
    // disposed, or a read finished the queue
    if (!this.queue.length) return;
    const deadline = performance.now() + SLICE_MS;
    while (this.queue.length) {
      if (!stepUntil(this.queue[0]!.steps, deadline)) {
        setImmediate(() => this.applySlice());
        return;
      }
      this.applied(this.queue.shift()!);
    }
    this.schedule();
  }

  /** Applies everything queued now (a read, or a change that must come after it). */
  private finishQueued(): void {
    while (this.queue.length) {
      const head = this.queue[0]!;
      stepToEnd(head.steps);
      // a read inside a step (idsOf) may have finished it already
      if (this.queue[0] === head) this.applied(this.queue.shift()!);
    }
    this.schedule();
  }

  private applied(done: QueuedDelta): void {
    const left = (this.applying.get(done.serverId) ?? 1) - 1;
    if (left) this.applying.set(done.serverId, left);
    else this.applying.delete(done.serverId);
  }

  /** Removes every node of the server below its server node (disconnect). */
  clearServer(serverId: string): void {
    this.apply({ serverId, reset: true, upsert: [], remove: [] });
  }

  /** Removes the server entirely, its server node included (server removed). */
  removeServer(serverId: string): void {
    this.finishQueued();
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
    this.finishQueued();
    this.send();
  }

  private send(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending.entries()];
    for (const [serverId, p] of batches) {
      // a server's delta still being applied is sent whole, once it is all in
      if (this.applying.has(serverId)) continue;
      this.pending.delete(serverId);
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
    this.queue.length = 0;
    this.applying.clear();
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
    this.timer = setTimeout(() => this.send(), this.batchMs);
  }
}
