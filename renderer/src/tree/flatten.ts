// Turns the indexed inventory into the visible rows of the virtualized tree.
import type { ServerView } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { serverKey, type InventoryIndex } from './inventory-index';

export interface TreeRow {
  /** tree key: a node id, or serverKey(serverId) for a saved server */
  key: string;
  serverId: string;
  node: InventoryNode | null;
  server: ServerView | null;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
  parentKey: string | null;
  /** the row's own name matches the filter */
  match: boolean;
}

export interface FlattenInput {
  servers: ServerView[];
  index: InventoryIndex;
  collapsed: ReadonlySet<string>;
  filter: string;
  showTemplates: boolean;
}

export function flattenTree({ servers, index, collapsed, filter, showTemplates }: FlattenInput): TreeRow[] {
  const rows: TreeRow[] = [];
  const needle = filter.trim().toLowerCase();
  const filtering = needle.length > 0;

  const visibleChildren = (key: string): string[] => {
    const list = index.children.get(key);
    if (!list) return [];
    if (showTemplates) return list;
    return list.filter((id) => index.nodes.get(id)!.kind !== 'template');
  };

  // returns true when this subtree contributed a row (always when not filtering)
  const visit = (key: string, parentKey: string | null, depth: number, server: ServerView | null, serverId: string): boolean => {
    const node = server ? null : index.nodes.get(key)!;
    const kids = visibleChildren(key);
    const name = server ? server.name.toLowerCase() : index.lowerNames.get(key)!;
    const match = filtering && name.includes(needle);
    const expanded = filtering || !collapsed.has(key);
    const at = rows.length;
    rows.push({ key, serverId, node, server, depth, hasChildren: kids.length > 0, expanded, parentKey, match });
    if (!expanded) return !filtering || match;
    let anyChild = false;
    for (const id of kids) {
      if (visit(id, key, depth + 1, null, serverId)) anyChild = true;
    }
    if (filtering && !match && !anyChild) {
      rows.length = at;
      return false;
    }
    return true;
  };

  for (const server of servers) visit(serverKey(server.id), null, 0, server, server.id);
  return rows;
}
