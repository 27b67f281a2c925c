// Which tree rows the search hides. A selected row the user cannot see is never
// the target of a command (issue 19: acting on what you cannot see).
import type { ServerView } from '../../../shared/contract';
import type { TreeOrder } from './flatten';
import type { InventoryIndex } from './inventory-index';
import { cachedMarks } from '../views/filter-marks';
import { searchSubjects } from '../views/subjects';
import { viewOrder } from '../views/view-order';
import { useViewStore } from '../views/view-store';

/** The laid-out tree of the chosen view (Infrastructure, Objects, Tags …), built once per change and shared by the tree view and the commands. */
export function treeOrder(servers: ServerView[], index: InventoryIndex): TreeOrder {
  const { view, savedSearches, ownLabels } = useViewStore.getState();
  return viewOrder(view, servers, index, savedSearches, ownLabels);
}

function templateHidden(order: TreeOrder, position: number, showTemplates: boolean): boolean {
  if (showTemplates) return false;
  for (let p = position; p >= 0; p = order.parent[p]) if (order.template[p]) return true;
  return false;
}

/** The keys among `keys` whose rows the search (or the hidden templates) keep out of the tree. */
export function hiddenKeys(order: TreeOrder, keys: readonly string[], filter: string, showTemplates: boolean, servers: ServerView[], index: InventoryIndex): Set<string> {
  const hidden = new Set<string>();
  if (keys.length === 0) return hidden;
  const marks = filter.trim() ? cachedMarks(order, filter, searchSubjects(servers, index, useViewStore.getState().ownLabels), showTemplates) : null;
  for (const key of keys) {
    const position = order.positionOf.get(key);
    // an object the chosen view does not list (a snapshot, a server in the Objects view) is not hidden by it
    if (position === undefined) continue;
    if (templateHidden(order, position, showTemplates)) hidden.add(key);
    else if (marks && !marks[position]) hidden.add(key);
  }
  return hidden;
}
