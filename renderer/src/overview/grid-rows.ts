// The overview grid's rows: every VM, container and host beneath a node of the tree
// (a server, pool, cluster or host), each with the names of its host and server.
import type { ServerView } from '../../../shared/contract';
import type { InventoryNode, NodeKind } from '../../../shared/model';
import { isServerKey, serverIdOfKey, type InventoryIndex } from '../tree/inventory-index';

export const GRID_KINDS: ReadonlySet<NodeKind> = new Set(['vm', 'container', 'host']);
/** the tree nodes whose details have an Overview tab */
export const OVERVIEW_ROOT_KINDS: ReadonlySet<NodeKind> = new Set(['pool', 'cluster', 'host']);

export interface GridRow {
  node: InventoryNode;
  /** the host it runs on (its tree ancestor of kind host), '' for a host itself or none */
  hostName: string;
  serverName: string;
}

/** Every VM, container and host beneath the tree key (depth first, the tree's order); templates and snapshots are not rows. */
export function rowsBeneath(index: InventoryIndex, rootKey: string, servers: readonly ServerView[]): GridRow[] {
  const serverNames = new Map(servers.map((s) => [s.id, s.name]));
  const rows: GridRow[] = [];
  const root = index.nodes.get(rootKey);
  const startHost = root?.kind === 'host' ? root.name : '';
  const stack: Array<{ key: string; host: string }> = [{ key: rootKey, host: startHost }];
  while (stack.length > 0) {
    const { key, host } = stack.pop()!;
    const children = index.children.get(key) ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      const node = index.nodes.get(children[i]!);
      if (!node) continue;
      const hostName = node.kind === 'host' ? node.name : host;
      stack.push({ key: node.id, host: hostName });
    }
    const node = key === rootKey ? undefined : index.nodes.get(key);
    if (node && GRID_KINDS.has(node.kind)) {
      rows.push({ node, hostName: node.kind === 'host' ? '' : host || hostProp(node), serverName: serverNames.get(node.serverId) ?? node.serverId });
    }
  }
  return rows;
}

function hostProp(node: InventoryNode): string {
  const v = node.props.host ?? node.props.node;
  return typeof v === 'string' ? v : '';
}

/** The server a tree key belongs to (a server key, or a node's serverId). */
export function serverOfKey(index: InventoryIndex, key: string): string | undefined {
  return isServerKey(key) ? serverIdOfKey(key) : index.nodes.get(key)?.serverId;
}
