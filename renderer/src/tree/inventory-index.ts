// The inventory as the renderer keeps it, indexed once per batch of deltas
// (not per render): display children per tree parent, snapshots per VM. Lower-case names
// are made when asked (the tree's layout keeps its own), not stored for 100,000 nodes.
import type { InventoryDelta, InventoryNode } from '../../../shared/model';
import { patchIndex } from './index-patch';
import { compareEntries, sortEntryOf } from './tree-sort';

export interface InventoryIndex {
  nodes: Map<string, InventoryNode>;
  /** tree key → sorted child node ids as shown in the Infrastructure tree */
  children: Map<string, string[]>;
  /** how many nodes the Infrastructure tree shows (servers' rows not counted) */
  displayed: number;
  /** VM/container id → its snapshot ids */
  snapshotsOf: Map<string, string[]>;
  lowerNames: LowerNames;
  /** pool id → its hosts' ids (a standalone pool with one host is shown as that host) */
  hostsOfPool: Map<string, string[]>;
  version: number;
  /** changes only when the shape of the tree changes (nodes added/removed/moved/renamed), not on state changes */
  structure: number;
}

export interface LowerNames {
  /** a node's name in lower case */
  get(id: string): string | undefined;
}

function lowerNamesOf(nodes: ReadonlyMap<string, InventoryNode>): LowerNames {
  return { get: (id) => nodes.get(id)?.name.toLowerCase() };
}

export const serverKey = (serverId: string): string => `srv|${serverId}`;
export const isServerKey = (key: string): boolean => key.startsWith('srv|');
export const serverIdOfKey = (key: string): string => key.slice(4);

export function emptyIndex(): InventoryIndex {
  const nodes = new Map<string, InventoryNode>();
  return {
    nodes,
    children: new Map(),
    displayed: 0,
    snapshotsOf: new Map(),
    lowerNames: lowerNamesOf(nodes),
    hostsOfPool: new Map(),
    version: 0,
    structure: 0,
  };
}

/**
 * Applies a batch of deltas. A batch that only changes states and properties updates the
 * node map in place (a new index object, the same map: no copy of 100,000 entries per
 * batch; read `index`, not `index.nodes`, to follow such changes). A batch that adds,
 * removes or moves guests and snapshots is patched into the sorted children lists it
 * touches (index-patch.ts); any other change of the tree's shape (a host, a pool, a
 * server reset) rebuilds the derived maps once.
 */
export function applyDeltas(previous: InventoryIndex, deltas: InventoryDelta[]): InventoryIndex {
  if (deltas.length === 0) return previous;
  if (!deltas.some((delta) => changesShape(previous.nodes, delta))) {
    for (const delta of deltas) for (const node of delta.upsert) previous.nodes.set(node.id, node);
    return { ...previous, version: previous.version + 1 };
  }
  const patched = patchIndex(previous, deltas);
  if (patched) return patched;
  const nodes = new Map(previous.nodes);
  for (const delta of deltas) {
    if (delta.reset) {
      for (const [id, node] of nodes) if (node.serverId === delta.serverId) nodes.delete(id);
    }
    for (const id of delta.remove) nodes.delete(id);
    for (const node of delta.upsert) nodes.set(node.id, node);
  }
  return buildIndex(nodes, previous.version + 1, previous.structure + 1);
}

/** Whether a delta adds, removes or moves nodes (against the nodes before the batch). */
function changesShape(nodes: ReadonlyMap<string, InventoryNode>, delta: InventoryDelta): boolean {
  if (delta.reset) return true;
  if (delta.remove.some((id) => nodes.has(id))) return true;
  return delta.upsert.some((node) => {
    const before = nodes.get(node.id);
    return !before || shapeChanged(before, node);
  });
}

/** Whether a node's change moves it in the tree (power-state and property changes do not). */
export function shapeChanged(a: InventoryNode, b: InventoryNode): boolean {
  return (
    a.parentId !== b.parentId ||
    a.name !== b.name ||
    a.kind !== b.kind ||
    a.controlDomain !== b.controlDomain ||
    a.props.standalone !== b.props.standalone ||
    a.snapshot?.ofId !== b.snapshot?.ofId
  );
}

/** A standalone pool (one host, no pool of its own) is shown as its host: returns that host's id. */
export function standaloneHostOf(pool: InventoryNode, hostsOfPool: ReadonlyMap<string, string[]>): string | null {
  if (pool.kind !== 'pool' || pool.props.standalone !== true) return null;
  const hosts = hostsOfPool.get(pool.id);
  return hosts && hosts.length === 1 ? hosts[0] : null;
}

/** The tree key a node's row hangs under. */
export function treeParentOf(nodes: ReadonlyMap<string, InventoryNode>, hostsOfPool: ReadonlyMap<string, string[]>, node: InventoryNode): string | null {
  const parent = node.parentId ? nodes.get(node.parentId) : undefined;
  if (!parent || parent.kind === 'server') return serverKey(node.serverId);
  const host = standaloneHostOf(parent, hostsOfPool);
  if (host === null) return parent.id;
  // children of a standalone pool hang under its host; the host takes the pool's place
  if (host === node.id) return treeParentOf(nodes, hostsOfPool, parent);
  return host;
}

export function buildIndex(nodes: Map<string, InventoryNode>, version: number, structure = version): InventoryIndex {
  const hostsOfPool = new Map<string, string[]>();
  for (const node of nodes.values()) {
    if (node.kind === 'host' && node.parentId) {
      const list = hostsOfPool.get(node.parentId);
      if (list) list.push(node.id);
      else hostsOfPool.set(node.parentId, [node.id]);
    }
  }

  const children = new Map<string, string[]>();
  const snapshotsOf = new Map<string, string[]>();
  let displayed = 0;

  for (const node of nodes.values()) {
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
    const parentKey = treeParentOf(nodes, hostsOfPool, node);
    if (parentKey === null) continue;
    displayed++;
    const list = children.get(parentKey);
    if (list) list.push(node.id);
    else children.set(parentKey, [node.id]);
  }

  for (const list of children.values()) {
    if (list.length < 2) continue;
    const decorated = list.map((id) => sortEntryOf(nodes.get(id)!));
    decorated.sort(compareEntries);
    for (let i = 0; i < decorated.length; i++) list[i] = decorated[i].id;
  }
  return { nodes, children, displayed, snapshotsOf, lowerNames: lowerNamesOf(nodes), hostsOfPool, version, structure };
}
