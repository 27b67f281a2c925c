// The tree's index built as the inventory's pages arrive (issue 17): the first page is
// indexed and shown at once, so the rows on screen appear with it; each later page is
// patched in (index-patch.ts) a slice of nodes at a time, giving the browser a turn
// after every PAGE_TURN_MS of work (the sorted lists merged once a page), and shown again after PUBLISH_MS, then twice as long each time, since
// each showing lays the whole tree out again (a handful of layouts per load, not one per page).
import type { InventoryNode } from '../../../shared/model';
import { applyDeltas, buildIndex, type InventoryIndex } from '../tree/inventory-index';
import { patchInSlices } from '../tree/index-patch';
import { yieldEvery } from './yield-to-browser';

/** nodes patched in at a time: a few milliseconds on this machine */
export const PAGE_SLICE = 1_000;
/** work between two turns of the browser while a page is patched in: the first slice follows the page's arrival at once */
export const PAGE_TURN_MS = 30;
/** when a growing tree is shown again after the first page: this long after, then doubling */
export const PUBLISH_MS = 1_000;

export class PagedIndex {
  private index: InventoryIndex | null = null;
  private publishedAt = 0;
  private publishGap = PUBLISH_MS;
  private unpublished = false;

  constructor(
    private readonly publish: (index: InventoryIndex) => void,
    private readonly firstVersion: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one page in; the first one is shown at once, the later ones now and then. */
  async add(page: readonly InventoryNode[]): Promise<void> {
    if (!this.index) {
      this.index = buildIndex(new Map(page.map((node) => [node.id, node])), this.firstVersion);
      this.show();
      return;
    }
    // pages span servers; a delta's serverId only matters for a reset
    this.index = (await patchInSlices(this.index, page, PAGE_SLICE, yieldEvery(PAGE_TURN_MS))) ?? applyDeltas(this.index, [{ serverId: '', upsert: [...page], remove: [] }]);
    this.unpublished = true;
    if (this.now() - this.publishedAt >= this.publishGap) {
      this.show();
      this.publishGap *= 2;
    }
  }

  /** Shows the complete index (an empty one when no page came) and returns it. */
  finish(): InventoryIndex {
    this.index ??= buildIndex(new Map(), this.firstVersion);
    if (this.unpublished || this.publishedAt === 0) this.show();
    return this.index;
  }

  private show(): void {
    this.publish(this.index!);
    this.publishedAt = this.now();
    this.unpublished = false;
  }
}
