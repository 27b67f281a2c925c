// Runs snapshot schedules when they come due, as xapi's cron job for the vmss
// plugin does: on the simulator's clock, whether real time passes (a check every
// second) or a test moves the clock forward (every due time in between runs, in
// order, each at its own time). A disabled schedule's due times pass unrun, and
// a schedule runs only for times after the simulator first saw it.
import type { SimCore } from '../core';
import { cronPattern, occurrencesBetween } from './occurrences';
import { runVmss } from './plugin';
import type { VmssFrequency } from './schedule-map';

/** a runaway advance (years of an hourly schedule) stops here */
const MAX_RUNS_PER_STEP = 10_000;

export class VmssScheduler {
  /** per schedule: the time up to which its due times were handled */
  private readonly handledUpTo = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly core: SimCore) {
    core.vmssScheduler = this;
    this.unsubscribe = core.clock.onAdvance((from, to) => {
      this.runDue(from);
      this.runDue(to);
    });
  }

  created(ref: string): void {
    this.handledUpTo.set(ref, this.core.clock.nowMs());
  }

  start(checkEveryMs = 1_000): void {
    this.stop();
    this.runDue(this.core.clock.nowMs());
    this.timer = setInterval(() => this.runDue(this.core.clock.nowMs()), checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stop();
    this.unsubscribe();
  }

  /** Runs every due time up to `upToMs`, oldest first. */
  runDue(upToMs: number): void {
    const due: Array<{ at: number; ref: string }> = [];
    const table = this.core.db.records('VMSS');
    for (const ref of [...this.handledUpTo.keys()]) if (!table.has(ref)) this.handledUpTo.delete(ref);
    for (const [ref, vmss] of table) {
      const from = this.handledUpTo.get(ref);
      this.handledUpTo.set(ref, Math.max(from ?? upToMs, upToMs));
      if (from === undefined || from >= upToMs || !vmss.enabled) continue;
      const pattern = cronPattern(vmss.frequency as VmssFrequency, vmss.schedule as Record<string, string>);
      if (!pattern) continue;
      for (const at of occurrencesBetween(pattern, this.core.opts.timeZone, from, upToMs, MAX_RUNS_PER_STEP)) due.push({ at, ref });
    }
    due.sort((a, b) => a.at - b.at);
    for (const { at, ref } of due.slice(0, MAX_RUNS_PER_STEP)) {
      if (!this.core.db.get('VMSS', ref)?.enabled) continue;
      this.core.clock.setTo(at);
      runVmss(this.core, ref);
    }
  }
}
