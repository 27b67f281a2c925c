// The inventory in pages (issue 17): a window's first load of a large estate arrives in
// parts it takes in one by one while the core writes the next, not as one answer of
// 60 MB parsed at once.
import type { InventoryNode } from '../model';

export interface InventoryPage {
  /** names the inventory as it was at the first page; the later pages ask with it */
  snapshot: string;
  offset: number;
  /** nodes in that whole inventory */
  total: number;
  nodes: InventoryNode[];
}

export interface TreeChannels {
  /**
   * `limit` nodes from `offset` of the inventory as it was when the first page was asked
   * (snapshot null: take one now). The changes since come as `inventory:delta` events.
   */
  'inventory:page': { args: [snapshot: string | null, offset: number, limit: number]; result: InventoryPage };
}

export const TREE_CHANNELS: Record<keyof TreeChannels, true> = {
  'inventory:page': true,
};
