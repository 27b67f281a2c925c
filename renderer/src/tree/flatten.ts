// The visible rows of the virtualized tree. The whole tree is laid out once per change of
// its shape (TreeOrder, depth-first); a keystroke in the search box or a collapse only
// picks positions out of it, and row objects are made only for the rows on screen.
import type { ServerView } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { serverKey, type InventoryIndex } from './inventory-index';
import { LazyLowerNames } from './lower-names';
import { LEAF_KINDS } from '../../../shared/leaf-kinds';

export interface TreeOrder {
  /** tree key per position: a node id or serverKey(serverId) */
  keys: string[];
  serverIds: string[];
  depth: Uint16Array;
  /** position of the parent, -1 for a server */
  parent: Int32Array;
  /** end (exclusive) of the subtree starting at each position */
  end: Int32Array;
  /** lower-case names for the search (a layout of the Infrastructure view makes them when first read, or when idle) */
  readonly names: string[];
  /** 1 for templates (shown only with the setting) */
  template: Uint8Array;
  /** a key's (first) position */
  positionOf: { get(key: string): number | undefined };
}

/**
 * The pool a server row stands for: the server's only child, a pool with the server's own
 * name (XenCenter shows the pool as the connection, not a server row and a pool row of the
 * same name). Its children hang under the server row; the pool has no row of its own.
 */
export function mergedPoolOf(index: InventoryIndex, serverId: string, lowerServerName: string): string | null {
  const children = index.children.get(serverKey(serverId));
  if (children?.length !== 1) return null;
  const only = index.nodes.get(children[0]);
  return only?.kind === 'pool' && index.lowerNames.get(only.id)?.trim() === lowerServerName.trim() ? only.id : null;
}

/** Whether any guest or snapshot has rows under it: when none has, the layout places guest rows without looking up their children. */
function leafWithRows(index: InventoryIndex): boolean {
  for (const key of index.children.keys()) {
    const node = index.nodes.get(key);
    if (node && LEAF_KINDS.has(node.kind)) return true;
  }
  return false;
}

/** the latest Infrastructure layout: only its names are made while the browser is idle */
let latestLayout: object | null = null;

export function buildOrder(servers: Pick<ServerView, 'id' | 'name'>[], index: InventoryIndex): TreeOrder {
  // an upper bound: a pool merged into its server's row has no row of its own
  const arrays = orderArrays(servers.length + index.displayed);
  const { keys, serverIds, depth, parent, end, template } = arrays;
  let size = 0;

  const visit = (key: string, serverId: string, d: number, parentPos: number, isTemplate: boolean, merged: string | null) => {
    const pos = size++;
    keys[pos] = key;
    serverIds[pos] = serverId;
    depth[pos] = d;
    parent[pos] = parentPos;
    template[pos] = isTemplate ? 1 : 0;
    const children = index.children.get(merged ?? key);
    if (children) {
      for (let c = 0; c < children.length; c++) {
        const node = index.nodes.get(children[c])!;
        const isTemplateNode = node.kind === 'template';
        if (!leavesHaveRows && LEAF_KINDS.has(node.kind)) {
          // a guest: a row without rows under it, placed without asking for its children
          const at = size++;
          keys[at] = node.id;
          serverIds[at] = serverId;
          depth[at] = d + 1;
          parent[at] = pos;
          template[at] = isTemplateNode ? 1 : 0;
          end[at] = size;
        } else visit(node.id, serverId, d + 1, pos, isTemplateNode, null);
      }
    }
    end[pos] = size;
  };
  const leavesHaveRows = leafWithRows(index);
  for (const server of servers) visit(serverKey(server.id), server.id, 0, -1, false, mergedPoolOf(index, server.id, server.name.toLowerCase()));
  return finishOrder(arrays, size, servers, index);
}

/** The arrays of a layout being made. */
export interface OrderArrays {
  keys: string[];
  serverIds: string[];
  depth: Uint16Array;
  parent: Int32Array;
  end: Int32Array;
  template: Uint8Array;
}

/** Arrays for a layout of at most `n` positions. */
export function orderArrays(n: number): OrderArrays {
  return { keys: new Array<string>(n), serverIds: new Array<string>(n), depth: new Uint16Array(n), parent: new Int32Array(n), end: new Int32Array(n), template: new Uint8Array(n) };
}

/** The layout of the arrays' first `size` positions (buildOrder's, or a patched one): lower-case names made when first read or while idle. */
export function finishOrder({ keys, serverIds, depth, parent, end, template }: OrderArrays, size: number, servers: Pick<ServerView, 'id' | 'name'>[], index: InventoryIndex): TreeOrder {
  keys.length = size;
  serverIds.length = size;
  const serverNames = new Map(servers.map((server) => [server.id, server.name]));
  // a node removed since (a held-back layout) has no name to search
  const lower = new LazyLowerNames(size, (i) => (parent[i] < 0 ? serverNames.get(serverIds[i]) : index.nodes.get(keys[i])?.name) ?? '');
  const order: TreeOrder = {
    keys,
    serverIds,
    get names() {
      return lower.all();
    },
    depth: depth.subarray(0, size),
    parent: parent.subarray(0, size),
    end: end.subarray(0, size),
    template: template.subarray(0, size),
    positionOf: lazyPositions(keys),
  };
  latestLayout = order;
  void lower.warm(() => latestLayout === order);
  return order;
}

/** Each key's position, mapped on the first lookup: a first render with nothing selected never asks. */
function lazyPositions(keys: readonly string[]): TreeOrder['positionOf'] {
  let map: Map<string, number> | null = null;
  return {
    get(key) {
      if (!map) {
        map = new Map();
        for (let i = 0; i < keys.length; i++) map.set(keys[i], i);
      }
      return map.get(key);
    },
  };
}

export interface VisibleRows {
  /** order positions of the visible rows, ascending */
  positions: Int32Array;
  /** when filtering: 2 = the row's own name matches, 1 = shown as an ancestor of a match */
  marks: Uint8Array | null;
}

export function visibleRows(order: TreeOrder, collapsed: ReadonlySet<string>, filter: string, showTemplates: boolean): VisibleRows {
  const n = order.keys.length;
  const out = new Int32Array(n);
  let count = 0;
  const needle = filter.trim().toLowerCase();
  if (!needle) {
    let i = 0;
    while (i < n) {
      if (order.template[i] && !showTemplates) {
        i = order.end[i];
        continue;
      }
      out[count++] = i;
      i = collapsed.size && collapsed.has(order.keys[i]) ? order.end[i] : i + 1;
    }
    return { positions: out.subarray(0, count), marks: null };
  }
  const marks = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (order.template[i] && !showTemplates) continue;
    if (!order.names[i].includes(needle)) continue;
    marks[i] = 2;
    for (let p = order.parent[i]; p >= 0 && marks[p] === 0; p = order.parent[p]) marks[p] = 1;
  }
  for (let i = 0; i < n; i++) if (marks[i]) out[count++] = i;
  return { positions: out.subarray(0, count), marks };
}

/** Index of a position among the visible rows (binary search), or -1. */
export function rowIndexOf(rows: VisibleRows, position: number | undefined): number {
  if (position === undefined) return -1;
  let lo = 0;
  let hi = rows.positions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = rows.positions[mid];
    if (v === position) return mid;
    if (v < position) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export interface TreeRow {
  key: string;
  serverId: string;
  node: InventoryNode | null;
  server: ServerView | null;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
  parentKey: string | null;
  /** the row's own name matches the search */
  match: boolean;
}

/** The row at one visible index, made on demand for the rows on screen. */
export function rowAt(
  order: TreeOrder,
  rows: VisibleRows,
  i: number,
  ctx: { index: InventoryIndex; servers: Map<string, ServerView>; collapsed: ReadonlySet<string>; showTemplates: boolean },
): TreeRow {
  const pos = rows.positions[i];
  const key = order.keys[pos];
  const server = order.parent[pos] < 0 ? (ctx.servers.get(order.serverIds[pos]) ?? null) : null;
  let hasChildren = false;
  for (let c = pos + 1; c < order.end[pos]; c = order.end[c]) {
    if (!order.template[c] || ctx.showTemplates) {
      hasChildren = true;
      break;
    }
  }
  const filtering = rows.marks !== null;
  return {
    key,
    serverId: order.serverIds[pos],
    node: server ? null : (ctx.index.nodes.get(key) ?? null),
    server,
    depth: order.depth[pos],
    hasChildren,
    expanded: filtering || !ctx.collapsed.has(key),
    parentKey: order.parent[pos] >= 0 ? order.keys[order.parent[pos]] : null,
    match: rows.marks !== null && rows.marks[pos] === 2,
  };
}

/** Keys of the visible rows between two visible indexes (inclusive), for Shift-selection. */
export function keysBetween(order: TreeOrder, rows: VisibleRows, a: number, b: number): string[] {
  const [from, to] = a < b ? [a, b] : [b, a];
  return Array.from(rows.positions.subarray(from, to + 1), (p) => order.keys[p]);
}
