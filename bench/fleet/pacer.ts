// Event-rate pacing: a timer never fires exactly on time on a loaded machine, so each tick
// makes as many events as are due since the start, not a fixed number per tick. A late
// tick catches up (up to a cap, so a long stall does not turn into one burst).

export class Pacer {
  /** events owed so far, made or dropped */
  private accounted = 0;
  private made = 0;

  constructor(
    private readonly perSecond: number,
    private readonly startMs: number,
    /** at most this many in one tick */
    private readonly maxBurst = Math.max(1, Math.ceil(perSecond / 10)),
  ) {}

  /** How many events to make now, at `nowMs`. */
  due(nowMs: number): number {
    const owed = Math.floor(((nowMs - this.startMs) * this.perSecond) / 1000) - this.accounted;
    if (owed <= 0) return 0;
    const n = Math.min(owed, this.maxBurst);
    // a stall beyond the cap is dropped, not owed forever
    this.accounted += owed;
    this.made += n;
    return n;
  }

  /** Events made so far (dropped ones not counted). */
  total(): number {
    return this.made;
  }
}

/** Splits `total` events per second over `weights` (e.g. VMs per pool), in whole shares that add up to `total`. */
export function shareRate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  // the largest remainders get the leftover units
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    shares[i]!++;
  }
  return shares;
}
