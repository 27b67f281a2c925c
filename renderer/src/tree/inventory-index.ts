// The inventory as the renderer keeps it, indexed once per batch of deltas
// (not per render): display children per tree parent, snapshots per VM, lower-case names.
import type { InventoryDelta, InventoryNode, NodeKind } from '../../../shared/model';

export interface InventoryIndex {
  nodes: Map<string, InventoryNode>;
  /** tree key → sorted child node ids as shown in the Infrastructure tree */
  children: Map<string, string[]>;
  /** tree key of a node's displayed parent */
  displayParent: Map<string, string>;
  /** VM/container id → its snapshot ids */
  snapshotsOf: Map<string, string[]>;
  lowerNames: Map<string, string>;
  version: number;
}

export const serverKey = (serverId: string): string => `srv|${serverId}`;
export const isServerKey = (key: string): boolean => key.startsWith('srv|');
export const serverIdOfKey = (key: string): string => key.slice(4);

export function emptyIndex(): InventoryIndex {
  return {
    nodes: new Map(),
    children: new Map(),
    displayParent: new Map(),
    snapshotsOf: new Map(),
    lowerNames: new Map(),
    version: 0,
  };
}

/** Applies a batch of deltas and rebuilds the derived maps once. */
export function applyDeltas(previous: InventoryIndex, deltas: InventoryDelta[]): InventoryIndex {
  if (deltas.length === 0) return previous;
  const nodes = new Map(previous.nodes);
  for (const delta of deltas) {
    if (delta.reset) {
      for (const [id, node] of nodes) if (node.serverId === delta.serverId) nodes.delete(id);
    }
    for (const id of delta.remove) nodes.delete(id);
    for (const node of delta.upsert) nodes.set(node.id, node);
  }
  return buildIndex(nodes, previous.version + 1);
}

export function removeServer(previous: InventoryIndex, serverId: string): InventoryIndex {
  return applyDeltas(previous, [{ serverId, reset: true, upsert: [], remove: [] }]);
}

const KIND_ORDER: Record<NodeKind, number> = {
  server: 0,
  pool: 1,
  cluster: 2,
  host: 3,
  vm: 4,
  container: 5,
  project: 6,
  template: 7,
  snapshot: 8,
};

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** A standalone pool (one host, no pool of its own) is shown as its host: returns that host's id. */
function standaloneHostOf(pool: InventoryNode, hostsOfPool: Map<string, string[]>): string | null {
  if (pool.kind !== 'pool' || pool.props.standalone !== true) return null;
  const hosts = hostsOfPool.get(pool.id);
  return hosts && hosts.length === 1 ? hosts[0] : null;
}

export function buildIndex(nodes: Map<string, InventoryNode>, version: number): InventoryIndex {
  const hostsOfPool = new Map<string, string[]>();
  for (const node of nodes.values()) {
    if (node.kind === 'host' && node.parentId) {
      const list = hostsOfPool.get(node.parentId);
      if (list) list.push(node.id);
      else hostsOfPool.set(node.parentId, [node.id]);
    }
  }

  const children = new Map<string, string[]>();
  const displayParent = new Map<string, string>();
  const snapshotsOf = new Map<string, string[]>();
  const lowerNames = new Map<string, string>();

  const treeParentOf = (node: InventoryNode): string | null => {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (!parent || parent.kind === 'server') return serverKey(node.serverId);
    const host = standaloneHostOf(parent, hostsOfPool);
    if (host === null) return parent.id;
    // children of a standalone pool hang under its host; the host takes the pool's place
    if (host === node.id) return treeParentOf(parent);
    return host;
  };

  for (const node of nodes.values()) {
    lowerNames.set(node.id, node.name.toLowerCase());
    if (node.kind === 'snapshot') {
      const of = node.snapshot?.ofId;
      if (of) {
        const list = snapshotsOf.get(of);
        if (list) list.push(node.id);
        else snapshotsOf.set(of, [node.id]);
      }
      continue;
    }
    if (node.kind === 'server' || node.controlDomain) continue;
    if (standaloneHostOf(node, hostsOfPool) !== null) continue;
    const parentKey = treeParentOf(node);
    if (parentKey === null) continue;
    displayParent.set(node.id, parentKey);
    const list = children.get(parentKey);
    if (list) list.push(node.id);
    else children.set(parentKey, [node.id]);
  }

  for (const list of children.values()) {
    list.sort((a, b) => {
      const na = nodes.get(a)!;
      const nb = nodes.get(b)!;
      return KIND_ORDER[na.kind] - KIND_ORDER[nb.kind] || collator.compare(na.name, nb.name) || (a < b ? -1 : 1);
    });
  }
  return { nodes, children, displayParent, snapshotsOf, lowerNames, version };
}
