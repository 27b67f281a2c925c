// The tree layout's lower-case names (the search and type-ahead read them), made after the
// layout: a slice at a time while the browser is idle, or all at once when a search asks
// first. Lower-casing 100,000 names is work the first render of the tree does not need.

/** names lower-cased at a time while the browser is idle: a few milliseconds */
export const NAME_SLICE = 10_000;

/** Resolves with the idle time the browser gives (ms), or a slice's worth on the next turn where there is no requestIdleCallback. */
function whenIdle(): Promise<() => number> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback((deadline) => resolve(() => deadline.timeRemaining()), { timeout: 2_000 });
    else setTimeout(() => resolve(() => 0), 0);
  });
}

export class LazyLowerNames {
  /** made in order, so it grows as they are made (no 100,000-slot array at layout time) */
  private readonly names: string[] = [];
  private filled = 0;

  constructor(
    private readonly count: number,
    private readonly nameAt: (position: number) => string,
  ) {}

  /** Every name, the ones not made yet made now. */
  all(): string[] {
    this.fill(this.count);
    return this.names;
  }

  /** Makes the names in idle slices while `wanted()` (the layout is still the current one). */
  async warm(wanted: () => boolean): Promise<void> {
    while (this.filled < this.count && wanted()) {
      const remaining = await whenIdle();
      // a slice, then more while the idle period lasts (the first search often comes soon after the first paint)
      do this.fill(Math.min(this.count, this.filled + NAME_SLICE));
      while (this.filled < this.count && remaining() > 2);
    }
  }

  private fill(to: number): void {
    for (; this.filled < to; this.filled++) this.names.push(this.nameAt(this.filled).toLowerCase());
  }
}
