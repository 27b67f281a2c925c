// Runs Polyvisor's own policies: what is due (the app's timer while it is open,
// `polyvisor schedule run-due` from the OS timer while it is closed) and "run now".
// Only the holder of the runner lock runs; a slot is recorded as taken before its
// first snapshot, so two runners at the same minute take one snapshot between them.

import { PolyvisorError, toErrorInfo } from '../../../shared/errors';
import type { PolicyRun } from '../../../shared/schedules';
import type { HistoryStore } from './history-store';
import { scheduleSince } from './own-policy-view';
import { runOwnPolicy } from './policy-run';
import type { OwnPolicy, OwnPolicyStore } from './policy-store';
import type { ScheduleEnvironment } from './schedule-environment';
import { tryRunnerLock } from './runner-lock';
import { decideDue } from './schedule-time';

export interface OwnRunnerDeps {
  home: string;
  env: ScheduleEnvironment;
  policies: OwnPolicyStore;
  history: HistoryStore;
  /** a run started, progressed or finished */
  run(run: PolicyRun): void;
  /** a run could not get a password: the app shows it now, a background run leaves it for the app's next start */
  passwordMissing(notice: { at: string; policyId: string; message: string }): Promise<void>;
  /** how long a new snapshot may take to show in the inventory (tests shorten it) */
  appearMs?: number;
  /** the timer's failures, which have no caller to go to */
  log?: (level: 'warn', message: string) => void;
}

export interface RunDueReport {
  runs: PolicyRun[];
  /** who held the runner lock, when this runner left it to them */
  busy?: string;
}

/** Due policies found again after a round of runs (a long run may let the next slot pass). */
const MAX_ROUNDS = 3;
const RUN_NOW_WAIT_MS = 10_000;
const TIMER_MS = 30_000;

export class OwnPolicyRunner {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> | undefined;
  /** runs started by runNow that are still going (stop() waits for them: a run is never cut off mid-write) */
  private readonly going = new Set<Promise<unknown>>();

  constructor(private readonly deps: OwnRunnerDeps) {}

  /** Runs every enabled policy that is due (once, however many of its slots passed). */
  async runDue(): Promise<RunDueReport> {
    // nothing to run: no lock taken, nothing written
    if (!(await this.deps.policies.list()).some((p) => p.enabled)) return { runs: [] };
    const attempt = await tryRunnerLock(this.deps.home);
    if (!attempt.acquired) return { runs: [], busy: attempt.heldBy };
    const runs: PolicyRun[] = [];
    try {
      await this.closeInterrupted();
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const due = await this.duePolicies();
        if (due.length === 0) break;
        for (const { policy, slot, trigger } of due) runs.push(await this.runRecorded(policy, trigger, slot));
      }
    } finally {
      await attempt.lock.release();
    }
    return { runs };
  }

  /** Starts a run of one policy now; resolves once it is recorded, with the run as it starts. */
  async runNow(policy: OwnPolicy): Promise<PolicyRun> {
    const attempt = await tryRunnerLock(this.deps.home, RUN_NOW_WAIT_MS);
    if (!attempt.acquired) {
      throw new PolyvisorError({ code: 'TIMEOUT', message: `Another runner (${attempt.heldBy}) is running snapshot policies now; try again when it has finished.` });
    }
    let started!: (run: PolicyRun) => void;
    const first = new Promise<PolicyRun>((resolve) => (started = resolve));
    const whole = this.closeInterrupted()
      .then(() => this.runRecorded(policy, 'run-now', undefined, started))
      .finally(() => attempt.lock.release());
    const tracked = whole.catch(() => undefined).finally(() => this.going.delete(tracked)); // its failure goes to the caller through `whole`
    this.going.add(tracked);
    // a run that fails before it starts has nothing recorded: its error is the answer
    return Promise.race([first, whole]);
  }

  /** The app's timer: runs what is due every half minute while the app is open. */
  startTimer(intervalMs = TIMER_MS): void {
    if (this.timer) return;
    const tick = () => {
      this.ticking ??= this.runDue()
        // the next tick tries again; what each run did is in the history
        .catch((e: unknown) => this.deps.log?.('warn', `Running the due snapshot policies failed: ${toErrorInfo(e).message}`))
        .finally(() => (this.ticking = undefined));
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  /** Stops the timer and waits for the runs under way to finish and be recorded. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([this.ticking, ...this.going]);
  }

  private async duePolicies(): Promise<Array<{ policy: OwnPolicy; slot: Date; trigger: PolicyRun['trigger'] }>> {
    const [policies, slots] = await Promise.all([this.deps.policies.list(), this.deps.history.lastSlots()]);
    const now = this.deps.env.now();
    return policies.flatMap((policy) => {
      if (!policy.enabled) return [];
      const d = decideDue(policy.frequency, policy.timeZone, scheduleSince(policy, slots.get(policy.id)), now);
      return d.due ? [{ policy, slot: d.slot, trigger: d.trigger }] : [];
    });
  }

  private async runRecorded(policy: OwnPolicy, trigger: PolicyRun['trigger'], slot: Date | undefined, started?: (run: PolicyRun) => void): Promise<PolicyRun> {
    const { history } = this.deps;
    const knownNames = new Map((await history.lastRun(policy.id))?.items.map((i) => [i.nodeId, i.name]) ?? []);
    for (const [i, id] of policy.members.entries()) {
      const name = policy.memberNames?.[i];
      if (name) knownNames.set(id, name);
    }
    let recording = Promise.resolve();
    const run = await runOwnPolicy(policy, this.deps.env, {
      trigger,
      knownNames,
      appearMs: this.deps.appearMs,
      beforeStart: async (r) => {
        await history.record(r, slot);
        started?.(r);
      },
      // each change is told once it is in the history, so whoever hears "finished" can read it there
      progress: (r) => {
        recording = recording.then(async () => {
          await history.record(r);
          this.deps.run(r);
        });
      },
    });
    await recording;
    for (const item of run.items) {
      if (item.error?.code !== 'PASSWORD_REQUIRED') continue;
      await this.deps.passwordMissing({
        at: run.finishedAt ?? run.startedAt,
        policyId: policy.id,
        message: `The snapshot policy "${policy.name}" could not snapshot ${item.name}: ${item.error.message}`,
      });
    }
    return run;
  }

  private async closeInterrupted(): Promise<void> {
    for (const run of await this.deps.history.closeInterrupted(this.deps.env.now())) this.deps.run(run);
  }
}
