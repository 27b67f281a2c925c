// The laid-out tree of the chosen view, rebuilt only when what it depends on changes:
// the Infrastructure and Objects views follow the tree's shape, the label views and the
// saved searches follow every inventory change (a tag is a property, not a shape change).
// Under a stream of such changes (a fleet's power changes move VMs between host and pool
// hundreds of times a second) the layout of a patched index is rebuilt at most every
// LAYOUT_PACE_MS: a row shows its node's new state at once, its new place up to that much
// later, and the Infrastructure layout is then patched (tree/order-patch.ts). A change of
// view, server list, searches or labels, or a rebuilt index (a reset, a host or pool
// change), is laid out at once.
import type { ServerView } from '../../../shared/contract';
import type { OwnLabels } from '../../../shared/labels';
import { buildOrder, type TreeOrder } from '../tree/flatten';
import type { InventoryIndex } from '../tree/inventory-index';
import { changedLists, patchOrder } from '../tree/order-patch';
import { foldersOrder, objectsOrder, savedSearchesOrder, tagsOrder, type SavedSearchRef } from './groupings';
import type { ViewOrder } from './order-builder';
import { searchSubjects } from './subjects';
import type { NavView } from './view-store';

interface Cached {
  view: NavView;
  shape: string;
  depends: unknown;
  searches: readonly SavedSearchRef[];
  own: OwnLabels;
  order: TreeOrder | ViewOrder;
  /** the node map it was laid out from: a patched index keeps it (a rebuilt one, after a reset or a host change, does not) */
  nodes: InventoryIndex['nodes'];
  builtAt: number;
  /** a newer `depends` was seen and not laid out yet */
  behind: boolean;
}

export const LAYOUT_PACE_MS = 400;

let cached: Cached | null = null;
const now = () => performance.now();

/** ms until a held-back layout is due (the tree asks again then), or null when the layout is current. */
export function layoutDueIn(): number | null {
  return cached?.behind ? Math.max(0, LAYOUT_PACE_MS - (now() - cached.builtAt)) : null;
}

/** The next layout is made at once, not held back: the inventory's pages are shown far apart, and the complete tree when its last page is in. */
export function layOutNextAtOnce(): void {
  if (cached) cached.builtAt = -Infinity;
}

export function viewOrder(view: NavView, servers: readonly ServerView[], index: InventoryIndex, searches: readonly SavedSearchRef[], own: OwnLabels): TreeOrder | ViewOrder {
  const shape = view === 'infrastructure' ? servers.map((v) => `${v.id}\u0000${v.name}`).join('\u0001') : '';
  // the children map is rebuilt exactly when the tree's shape changes (inventory-index.ts)
  const depends = view === 'infrastructure' || view === 'objects' ? index.children : index;
  // the saved searches and own labels arrive after the inventory: the views without them are not laid out again then
  const labelled = view !== 'infrastructure' && view !== 'objects';
  const same = cached !== null && cached.view === view && cached.shape === shape && (!labelled || (cached.searches === searches && cached.own === own));
  if (same && cached!.depends === depends) return cached!.order;
  // only a successor of the laid-out index (same node map, patched) is held back
  if (same && cached!.nodes === index.nodes && now() - cached!.builtAt < LAYOUT_PACE_MS) {
    cached!.behind = true;
    return cached!.order;
  }
  // a patched index's Infrastructure layout is patched too: only the changed lists' rows are laid out again
  const patched = same && cached!.nodes === index.nodes && view === 'infrastructure' ? patchOrder(cached!.order as TreeOrder, [...servers], index, changedLists(cached!.depends as InventoryIndex['children'], index.children)) : null;
  cached = { view, shape, depends, searches, own, order: patched ?? build(view, servers, index, searches, own), nodes: index.nodes, builtAt: now(), behind: false };
  return cached.order;
}

function build(view: NavView, servers: readonly ServerView[], index: InventoryIndex, searches: readonly SavedSearchRef[], own: OwnLabels): TreeOrder | ViewOrder {
  switch (view) {
    case 'infrastructure':
      return buildOrder([...servers], index);
    case 'objects':
      return objectsOrder(index);
    case 'tags':
      return tagsOrder(index, own);
    case 'folders':
      return foldersOrder(index, own);
    case 'saved':
      return savedSearchesOrder(index, searchSubjects(servers, index, own), searches);
  }
}
