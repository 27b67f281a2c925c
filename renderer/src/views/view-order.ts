// The laid-out tree of the chosen view, rebuilt only when what it depends on changes:
// the Infrastructure and Objects views follow the tree's shape, the label views and the
// saved searches follow every inventory change (a tag is a property, not a shape change).
import type { ServerView } from '../../../shared/contract';
import type { OwnLabels } from '../../../shared/labels';
import { buildOrder, type TreeOrder } from '../tree/flatten';
import type { InventoryIndex } from '../tree/inventory-index';
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
}

let cached: Cached | null = null;

export function viewOrder(view: NavView, servers: readonly ServerView[], index: InventoryIndex, searches: readonly SavedSearchRef[], own: OwnLabels): TreeOrder | ViewOrder {
  const shape = view === 'infrastructure' ? servers.map((v) => `${v.id}\u0000${v.name}`).join('\u0001') : '';
  // the children map is rebuilt exactly when the tree's shape changes (inventory-index.ts)
  const depends = view === 'infrastructure' || view === 'objects' ? index.children : index;
  if (cached && cached.view === view && cached.shape === shape && cached.depends === depends && cached.searches === searches && cached.own === own) return cached.order;
  cached = { view, shape, depends, searches, own, order: build(view, servers, index, searches, own) };
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
