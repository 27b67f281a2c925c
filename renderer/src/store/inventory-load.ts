// The window's first load of the inventory (issue 17), in pages: every page is asked for
// at once, so the core writes the next while this window takes in the one that arrived
// (one 60 MB answer parsed at once froze the window for seconds). Changes the core sends
// while the pages arrive are kept and applied on top, since the pages show the inventory
// as it was at the first one. `onPage` takes each page as it arrives (the tree is built
// from them as they come, paged-index.ts); the next page is handed over once it is done.
import type { PolyvisorClient } from '../../../shared/contract';
import type { InventoryPage } from '../../../shared/channels/tree';
import type { InventoryDelta, InventoryNode } from '../../../shared/model';

/**
 * ~6 MB of JSON a page. Measured with the tree bench (TREE_BENCH_PAGE_SIZES, load 17–25):
 * first byte → complete tree at 50,000 VMs 24.0 / 16.8 / 15.4 s and at 100,000 VMs
 * 27.7 / 36.4 / 18.4 s for pages of 2,000 / 5,000 / 10,000 nodes; the first rows came
 * 0.6–2.1 s after the first byte at every size. Fewer, larger messages finish first.
 */
export const INVENTORY_PAGE_SIZE = 10_000;

/** The page size, or the one set in localStorage 'polyvisor.inventoryPageSize' (the tree bench measures sizes with it). */
export function inventoryPageSize(): number {
  const set = Number(globalThis.localStorage?.getItem('polyvisor.inventoryPageSize'));
  return Number.isInteger(set) && set > 0 ? set : INVENTORY_PAGE_SIZE;
}

export interface LoadedInventory {
  /** the nodes of every page (empty when `onPage` took them) */
  nodes: Map<string, InventoryNode>;
  /** the changes that arrived after the first page: apply them once the nodes are in */
  since: InventoryDelta[];
}

export async function loadInventory(client: PolyvisorClient, pageSize = INVENTORY_PAGE_SIZE, onPage?: (nodes: InventoryNode[]) => Promise<void> | void): Promise<LoadedInventory> {
  const since: InventoryDelta[] = [];
  let listening = false;
  const stop = client.on('inventory:delta', (delta) => {
    if (listening) since.push(delta);
  });
  try {
    const first = await client.invoke('inventory:page', null, 0, pageSize);
    listening = true;
    const rest: Promise<InventoryPage>[] = [];
    for (let offset = first.nodes.length; offset < first.total; offset += pageSize) {
      const page = client.invoke('inventory:page', first.snapshot, offset, pageSize);
      // the first failure is thrown by the loop below; the pages after it fail alike
      page.catch(() => undefined);
      rest.push(page);
    }
    const nodes = new Map<string, InventoryNode>();
    const take = async (page: InventoryNode[]) => {
      if (onPage) return onPage(page);
      for (const node of page) nodes.set(node.id, node);
    };
    await take(first.nodes);
    for (const page of rest) await take((await page).nodes);
    return { nodes, since };
  } finally {
    stop();
  }
}
