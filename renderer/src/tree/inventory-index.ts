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
  /** changes only when the shape of the tree changes (nodes added/removed/moved/renamed), not on state changes */
  structure: number;
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
    structure: 0,
  };
}

/** Applies a batch of deltas and rebuilds the derived maps once (only when the tree's shape changed). */
export function applyDeltas(previous: InventoryIndex, deltas: InventoryDelta[]): InventoryIndex {
  if (deltas.length === 0) return previous;
  const nodes = new Map(previous.nodes);
  let structural = false;
  for (const delta of deltas) {
    if (delta.reset) {
      for (const [id, node] of nodes) {
        if (node.serverId !== delta.serverId) continue;
        nodes.delete(id);
        structural = true;
      }
    }
    for (const id of delta.remove) structural = nodes.delete(id) || structural;
    for (const node of delta.upsert) {
      const before = nodes.get(node.id);
      if (!structural && (!before || shapeChanged(before, node))) structural = true;
      nodes.set(node.id, node);
    }
  }
  if (!structural) return { ...previous, nodes, version: previous.version + 1 };
  return buildIndex(nodes, previous.version + 1, previous.structure + 1);
}

/** Whether a node's change moves it in the tree (power-state and property changes do not). */
function shapeChanged(a: InventoryNode, b: InventoryNode): boolean {
  return (
    a.parentId !== b.parentId ||
    a.name !== b.name ||
    a.kind !== b.kind ||
    a.controlDomain !== b.controlDomain ||
    a.props.standalone !== b.props.standalone ||
    a.snapshot?.ofId !== b.snapshot?.ofId
  );
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
  image: 8,
  volume: 9,
  storage: 10,
  network: 11,
  snapshot: 12,
};

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Natural order ("vm-2" before "vm-10"), cheap for plain ASCII names; the collator handles the rest. */
function naturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  if (!/^[\x00-\x7f]*$/.test(a) || !/^[\x00-\x7f]*$/.test(b)) return collator.compare(a, b);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    const da = ca >= 48 && ca <= 57;
    const db = cb >= 48 && cb <= 57;
    if (da && db) {
      let ei = i;
      while (ei < a.length && a.charCodeAt(ei) >= 48 && a.charCodeAt(ei) <= 57) ei++;
      let ej = j;
      while (ej < b.length && b.charCodeAt(ej) >= 48 && b.charCodeAt(ej) <= 57) ej++;
      const na = Number(a.slice(i, ei));
      const nb = Number(b.slice(j, ej));
      if (na !== nb) return na - nb;
      i = ei;
      j = ej;
      continue;
    }
    const la = ca >= 65 && ca <= 90 ? ca + 32 : ca;
    const lb = cb >= 65 && cb <= 90 ? cb + 32 : cb;
    if (la !== lb) return la - lb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j) || (a < b ? -1 : 1);
}

/** A standalone pool (one host, no pool of its own) is shown as its host: returns that host's id. */
function standaloneHostOf(pool: InventoryNode, hostsOfPool: Map<string, string[]>): string | null {
  if (pool.kind !== 'pool' || pool.props.standalone !== true) return null;
  const hosts = hostsOfPool.get(pool.id);
  return hosts && hosts.length === 1 ? hosts[0] : null;
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
    if (list.length < 2) continue;
    const decorated = list.map((id) => {
      const node = nodes.get(id)!;
      return { id, kind: KIND_ORDER[node.kind], name: node.name };
    });
    decorated.sort((a, b) => a.kind - b.kind || naturalCompare(a.name, b.name) || (a.id < b.id ? -1 : 1));
    for (let i = 0; i < decorated.length; i++) list[i] = decorated[i].id;
  }
  return { nodes, children, displayParent, snapshotsOf, lowerNames, version, structure };
}
