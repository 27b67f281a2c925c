// The last known tree of every saved server, kept in the profile so the app opens
// with the whole estate at once and stays browsable without a network. A server's
// tree is written off the hot path: a provider's delta only marks the server dirty,
// and the tree is written (atomically, compact) once it has been quiet for a while,
// at the latest after `maxWaitMs`, when the server goes offline, and at stop. While a
// server is not live its nodes stay in the inventory as they were last known, with
// the time they were (`at`); the provider's first reset replaces them.

import type { StoreProblem } from '../../../shared/contract';
import type { InventoryDelta, InventoryNode } from '../../../shared/model';
import { toErrorInfo } from '../../../shared/errors';
import type { InventoryStore } from '../inventory/inventory-store';
import { serverNodeId } from '../inventory/inventory-store';
import type { ProviderConfig } from '../providers/provider';
import { SerialQueue } from '../util/serial-queue';
import { listLastKnown, readLastKnown, removeLastKnown, writeLastKnown, type LastKnownTree } from './last-known-file';

export interface LastKnownOptions {
  home: string;
  inventory: InventoryStore;
  enabled: boolean;
  problem(problem: StoreProblem): void;
  log?: ProviderConfig['log'];
  /** a dirty tree is written after this much quiet (default 5 s) … */
  quietMs?: number;
  /** … and at the latest this long after its first change (default 60 s) */
  maxWaitMs?: number;
  now?: () => number;
}

export class LastKnownTrees {
  /** servers showing a last known tree, and since when it is that */
  private readonly since = new Map<string, number>();
  /** node counts as last seen (live or from a file): the connecting order's measure */
  private readonly sizes = new Map<string, number>();
  private readonly dirty = new Map<string, { first: number; timer: NodeJS.Timeout }>();
  private readonly writes = new Set<Promise<void>>();
  /** file operations one at a time, so a removal is never undone by a write that started before it */
  private readonly files = new SerialQueue();
  private enabled: boolean;
  private readonly now: () => number;

  private constructor(private readonly opts: LastKnownOptions) {
    this.enabled = opts.enabled;
    this.now = opts.now ?? Date.now;
  }

  /** Reads every saved server's tree into the inventory (as last known); files of servers no longer saved are removed. */
  static async open(opts: LastKnownOptions, serverIds: readonly string[]): Promise<LastKnownTrees> {
    const trees = new LastKnownTrees(opts);
    if (!opts.enabled) return trees;
    const saved = new Set(serverIds);
    const onDisk = await listLastKnown(opts.home).catch((e) => {
      opts.log?.('warn', `Cannot list the last known trees: ${toErrorInfo(e).message}`);
      return [] as string[];
    });
    for (const id of onDisk) if (!saved.has(id)) await trees.remove(id);
    const loaded = await Promise.all(serverIds.map((id) => readLastKnown(opts.home, id)));
    for (const { tree, problem } of loaded) {
      if (problem) opts.problem(problem);
      if (tree) trees.show(tree);
    }
    return trees;
  }

  /** When the server's shown tree was last known, while it shows one. */
  at(serverId: string): number | undefined {
    return this.since.get(serverId);
  }

  /** How many nodes the server had when last seen (0 when never). */
  size(serverId: string): number {
    return this.sizes.get(serverId) ?? 0;
  }

  get active(): boolean {
    return this.enabled;
  }

  /** A provider's delta: a reset makes the tree live again; any change is written later. */
  providerDelta(delta: InventoryDelta): void {
    if (delta.reset) this.since.delete(delta.serverId);
    if (this.enabled) this.markDirty(delta.serverId);
  }

  /** The server is live again (its provider published its tree). */
  live(serverId: string): void {
    this.since.delete(serverId);
  }

  /** The server is no longer live: its tree stays, as known until now; a pending write goes now. */
  offline(serverId: string): void {
    if (!this.enabled) return;
    // a server that never showed a tree has nothing to show as last known
    if (this.since.has(serverId) || this.opts.inventory.idsOf(serverId).length <= 1) return;
    // the tree was true until now: written with this time, once per going offline
    this.since.set(serverId, this.now());
    this.write(serverId);
  }

  /** The server's tree is no longer shown (the user disconnected it); its file stays. True when one was shown. */
  hide(serverId: string): boolean {
    return this.since.delete(serverId);
  }

  /** Forgets the server's tree (the server was removed, or now names another endpoint). */
  async remove(serverId: string): Promise<void> {
    this.cancelDirty(serverId);
    this.since.delete(serverId);
    this.sizes.delete(serverId);
    try {
      await this.files.run(() => removeLastKnown(this.opts.home, serverId));
    } catch (e) {
      this.opts.log?.('warn', `Cannot remove the last known tree of ${serverId}: ${toErrorInfo(e).message}`);
    }
  }

  /** Turns the cache on or off; off removes every file and every tree shown only as last known. */
  async setEnabled(enabled: boolean, serverIds: readonly string[]): Promise<void> {
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    if (enabled) return;
    for (const id of [...this.since.keys()]) this.opts.inventory.clearServer(id);
    await Promise.all(serverIds.map((id) => this.remove(id)));
  }

  /** Writes every dirty tree now (at stop). */
  async flush(): Promise<void> {
    for (const id of [...this.dirty.keys()]) this.write(id);
    await Promise.all([...this.writes]);
  }

  private show(tree: LastKnownTree): void {
    this.opts.inventory.apply({ serverId: tree.serverId, reset: true, upsert: tree.nodes, remove: [] });
    this.since.set(tree.serverId, tree.at);
    this.sizes.set(tree.serverId, tree.nodes.length);
  }

  private markDirty(serverId: string): void {
    const quietMs = this.opts.quietMs ?? 5_000;
    const maxWaitMs = this.opts.maxWaitMs ?? 60_000;
    const pending = this.dirty.get(serverId);
    const first = pending?.first ?? this.now();
    if (pending) clearTimeout(pending.timer);
    const wait = Math.max(0, Math.min(quietMs, first + maxWaitMs - this.now()));
    const timer = setTimeout(() => this.write(serverId), wait);
    timer.unref?.();
    this.dirty.set(serverId, { first, timer });
  }

  private cancelDirty(serverId: string): void {
    const pending = this.dirty.get(serverId);
    if (pending) clearTimeout(pending.timer);
    this.dirty.delete(serverId);
  }

  private write(serverId: string): void {
    this.cancelDirty(serverId);
    if (!this.enabled) return;
    const nodes = this.nodesOf(serverId);
    this.sizes.set(serverId, nodes.length);
    const tree: LastKnownTree = { serverId, at: this.since.get(serverId) ?? this.now(), nodes };
    const done = this.files
      .run(() => writeLastKnown(this.opts.home, tree))
      .catch((e) => this.opts.log?.('warn', `Cannot write the last known tree of ${serverId}: ${toErrorInfo(e).message}`))
      .finally(() => this.writes.delete(done));
    this.writes.add(done);
  }

  private nodesOf(serverId: string): InventoryNode[] {
    const root = serverNodeId(serverId);
    const nodes: InventoryNode[] = [];
    for (const id of this.opts.inventory.idsOf(serverId)) {
      const node = id === root ? undefined : this.opts.inventory.get(id);
      if (node) nodes.push(node);
    }
    return nodes;
  }
}
