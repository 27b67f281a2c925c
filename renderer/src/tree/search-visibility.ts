// Which tree rows the search hides. A selected row the user cannot see is never
// the target of a command (issue 19: acting on what you cannot see).
import type { ServerView } from '../../../shared/contract';
import { buildOrder, type TreeOrder } from './flatten';
import type { InventoryIndex } from './inventory-index';

let cached: { shape: string; children: InventoryIndex['children']; order: TreeOrder } | null = null;

/** The laid-out tree, built once per change of its shape and shared by the tree view and the commands. */
export function treeOrder(servers: Pick<ServerView, 'id' | 'name'>[], index: InventoryIndex): TreeOrder {
  const shape = servers.map((v) => `${v.id}\u0000${v.name}`).join('\u0001');
  // the children map is rebuilt exactly when the tree's shape changes (inventory-index.ts)
  if (cached && cached.shape === shape && cached.children === index.children) return cached.order;
  cached = { shape, children: index.children, order: buildOrder(servers, index) };
  return cached.order;
}

function templateHidden(order: TreeOrder, position: number, showTemplates: boolean): boolean {
  if (showTemplates) return false;
  for (let p = position; p >= 0; p = order.parent[p]) if (order.template[p]) return true;
  return false;
}

/** The keys among `keys` whose rows the search (or the hidden templates) keep out of the tree. */
export function hiddenKeys(order: TreeOrder, keys: readonly string[], filter: string, showTemplates: boolean): Set<string> {
  const hidden = new Set<string>();
  const needle = filter.trim().toLowerCase();
  for (const key of keys) {
    const position = order.positionOf.get(key);
    if (position === undefined) continue;
    if (templateHidden(order, position, showTemplates)) {
      hidden.add(key);
      continue;
    }
    if (!needle) continue;
    let shown = false;
    // a row is shown when its own name or a descendant's matches (ancestors of a match stay)
    for (let i = position; i < order.end[position] && !shown; i++) {
      shown = order.names[i].includes(needle) && !(order.template[i] && !showTemplates);
    }
    if (!shown) hidden.add(key);
  }
  return hidden;
}
