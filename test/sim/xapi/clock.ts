// The simulator's clock: real time plus an offset that tests move forward, so a
// snapshot schedule that runs hourly can be seen running three times in a moment.
// Whatever comes due while the clock moves (VMSS runs) runs in order, each at its
// own time, through the listeners.

export type ClockListener = (fromMs: number, toMs: number) => void;

export class SimClock {
  private offsetMs = 0;
  private readonly listeners = new Set<ClockListener>();

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /**
   * Moves the clock forward by `ms` (never back): listeners run what came due in
   * between, in order, before this returns.
   */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`the simulator's clock only moves forward (got ${ms} ms)`);
    const from = this.nowMs();
    const to = from + ms;
    for (const listener of this.listeners) listener(from, to);
    this.setTo(to);
  }

  /** Pins the clock at `ms` (used while a due run happens at its own time). */
  setTo(ms: number): void {
    this.offsetMs = Math.max(this.offsetMs, ms - Date.now());
  }

  onAdvance(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
