// The tree's index built as the inventory's pages arrive (issue 17): the first page is
// indexed and shown at once, so the rows on screen appear with it; each later page is
// patched in (index-patch.ts) a slice of nodes at a time, giving the browser a turn
// between slices, and shown at most every PUBLISH_MS, since each showing lays the whole
// tree out again.
import type { InventoryNode } from '../../../shared/model';
import { applyDeltas, buildIndex, type InventoryIndex } from '../tree/inventory-index';
import { yieldToBrowser } from './yield-to-browser';

/** nodes patched in between two turns of the browser: a few milliseconds on this machine */
export const PAGE_SLICE = 1_000;
/** how often a growing tree is shown while pages still arrive */
export const PUBLISH_MS = 1_000;

export class PagedIndex {
  private index: InventoryIndex | null = null;
  private publishedAt = 0;
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
    for (let from = 0; from < page.length; from += PAGE_SLICE) {
      await yieldToBrowser();
      // pages span servers; a delta's serverId only matters for a reset
      this.index = applyDeltas(this.index, [{ serverId: '', upsert: page.slice(from, from + PAGE_SLICE), remove: [] }]);
      this.unpublished = true;
    }
    if (this.now() - this.publishedAt >= PUBLISH_MS) this.show();
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
