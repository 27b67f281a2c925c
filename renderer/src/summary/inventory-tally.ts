// Every server's summary (summary-data.ts) kept from the deltas (issue 17): a batch of
// changes takes each changed node's old contribution out and puts its new one in, so the
// home page and the status bar cost what the batch costs, not a pass over 50,000 nodes.
// A tally that did not see the index it is asked about (a page of the first load, a test
// that set the store) counts that index once from scratch.
import type { InventoryDelta, InventoryNode, PowerState } from '../../../shared/model';
import type { InventoryIndex } from '../tree/inventory-index';
import { attentionOf, numberProp, type AttentionItem, type GuestKind, type Summary } from './summary-data';

interface ServerTally {
  guests: Record<GuestKind, Partial<Record<PowerState, number>>>;
  templates: number;
  hosts: number;
  /** version → how many hosts and pools run it */
  versions: Map<string, number>;
  cpus: number;
  /** hosts reporting cpus / memory: none means the summary says null */
  cpuHosts: number;
  memory: number;
  memoryHosts: number;
  attention: Map<string, AttentionItem>;
  /** the summary as last asked for, until the next change */
  shown: Summary | null;
}

const emptyTally = (): ServerTally => ({
  guests: { vm: {}, container: {} },
  templates: 0,
  hosts: 0,
  versions: new Map(),
  cpus: 0,
  cpuHosts: 0,
  memory: 0,
  memoryHosts: 0,
  attention: new Map(),
  shown: null,
});

function bump<K>(map: Map<K, number>, key: K, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n) map.set(key, n);
  else map.delete(key);
}

/** Adds (sign 1) or takes out (sign -1) one node's part of its server's summary. */
function account(t: ServerTally, node: InventoryNode, sign: 1 | -1): void {
  if (node.controlDomain) return;
  t.shown = null;
  if (typeof node.props.version === 'string' && node.props.version && (node.kind === 'host' || node.kind === 'pool')) bump(t.versions, node.props.version, sign);
  if (node.kind === 'vm' || node.kind === 'container') {
    const state = node.state ?? 'unknown';
    const counts = t.guests[node.kind];
    const n = (counts[state] ?? 0) + sign;
    if (n) counts[state] = n;
    else delete counts[state];
  } else if (node.kind === 'template') {
    t.templates += sign;
  } else if (node.kind === 'host') {
    t.hosts += sign;
    const cpus = numberProp(node, 'cpus', 'vcpus');
    const memory = numberProp(node, 'memoryTotal', 'memory');
    if (cpus !== null) {
      t.cpus += sign * cpus;
      t.cpuHosts += sign;
    }
    if (memory !== null) {
      t.memory += sign * memory;
      t.memoryHosts += sign;
    }
  }
  const attention = attentionOf(node);
  if (attention) {
    if (sign > 0) t.attention.set(node.id, attention);
    else t.attention.delete(node.id);
  }
}

const byName = (a: AttentionItem, b: AttentionItem) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0);

function summaryOf(t: ServerTally): Summary {
  return (t.shown ??= {
    guests: { vm: { ...t.guests.vm }, container: { ...t.guests.container } },
    templates: t.templates,
    hosts: t.hosts,
    versions: [...t.versions.keys()].sort(),
    cpus: t.cpuHosts ? t.cpus : null,
    memory: t.memoryHosts ? t.memory : null,
    attention: [...t.attention.values()].sort(byName),
  });
}

export class InventoryTally {
  private readonly servers = new Map<string, ServerTally>();
  /** the index this tally counts: its node map and version */
  private seen: { nodes: InventoryIndex['nodes']; version: number } | null = null;
  /** a batch was counted and the index it makes is not known yet */
  private counted = false;

  /** Every server's summary for this index (attention sorted by name): counted again only if the tally has not followed it. */
  summaries(index: InventoryIndex): ReadonlyMap<string, Summary> {
    this.follow(index);
    return new Map([...this.servers].map(([id, t]) => [id, summaryOf(t)]));
  }

  summary(index: InventoryIndex, serverId: string): Summary {
    this.follow(index);
    return summaryOf(this.servers.get(serverId) ?? emptyTally());
  }

  /** Guests (VMs and containers) over the whole inventory, and how many run. */
  guests(index: InventoryIndex): { total: number; running: number } {
    this.follow(index);
    let total = 0;
    let running = 0;
    for (const t of this.servers.values()) {
      for (const counts of [t.guests.vm, t.guests.container]) {
        for (const n of Object.values(counts)) total += n ?? 0;
        running += counts.running ?? 0;
      }
    }
    return { total, running };
  }

  /**
   * Called with the index before a batch and the batch, before the batch is applied;
   * `after` then tells the tally the index the batch made. A tally behind `before` only recounts later.
   */
  apply(before: InventoryIndex, deltas: readonly InventoryDelta[]): void {
    if (!this.follows(before)) return;
    // the nodes as this batch has left them so far (null: removed): a node can change twice in a batch
    const now = new Map<string, InventoryNode | null>();
    // servers reset by this batch: their nodes from before it are gone
    const cleared = new Set<string>();
    const current = (id: string) => {
      if (now.has(id)) return now.get(id)!;
      const node = before.nodes.get(id);
      return node && !cleared.has(node.serverId) ? node : null;
    };
    const take = (node: InventoryNode | null) => {
      if (!node) return;
      account(this.tallyOf(node.serverId), node, -1);
      now.set(node.id, null);
    };
    for (const delta of deltas) {
      if (delta.reset) {
        // the server's whole part goes at once, not node by node
        this.servers.set(delta.serverId, emptyTally());
        cleared.add(delta.serverId);
        for (const [id, node] of now) if (node?.serverId === delta.serverId) now.set(id, null);
      }
      for (const id of delta.remove) take(current(id));
      for (const node of delta.upsert) {
        take(current(node.id));
        account(this.tallyOf(node.serverId), node, 1);
        now.set(node.id, node);
      }
    }
    this.seen = null;
    this.counted = true;
  }

  /** The index the batch given to `apply` made. */
  after(index: InventoryIndex): void {
    if (this.counted) this.seen = { nodes: index.nodes, version: index.version };
    this.counted = false;
  }

  private follows(index: InventoryIndex): boolean {
    return this.seen !== null && this.seen.nodes === index.nodes && this.seen.version === index.version;
  }

  private follow(index: InventoryIndex): void {
    if (this.follows(index)) return;
    this.counted = false;
    this.servers.clear();
    for (const node of index.nodes.values()) account(this.tallyOf(node.serverId), node, 1);
    this.seen = { nodes: index.nodes, version: index.version };
  }

  private tallyOf(serverId: string): ServerTally {
    let t = this.servers.get(serverId);
    if (!t) this.servers.set(serverId, (t = emptyTally()));
    return t;
  }
}
