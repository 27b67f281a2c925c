// Evaluates the enabled threshold rules on a timer: each round resolves every rule's
// targets in the inventory, asks each target's live series once (however many rules
// watch it) — all of a server's targets in one read where the platform has one
// (liveSeriesMany: XAPI answers one rrd_updates per host), only what is newer than the
// readings already taken in, the whole live window for a new target so a rule's
// duration is judged from the server's history — and feeds each rule's evaluator. Raised alerts are Polyvisor's own (source POLYVISOR_ALERT_SOURCE) in the
// Notifications view; they clear by themselves when the condition ends, or when the
// item stops, leaves the scope or the rule changes. A dismissed alert stays away until
// its condition has ended once.

import { alertId, type Alert, type NotificationDelta } from '../../../shared/notifications';
import { toErrorInfo } from '../../../shared/errors';
import type { MetricsAnswer } from '../../../shared/metrics';
import type { InventoryNode } from '../../../shared/model';
import { describeCondition, POLYVISOR_ALERT_SOURCE, type ThresholdRule } from '../../../shared/thresholds';
import { forEachLimited } from '../providers/common/concurrency';
import { evaluate, type Reading, type WatchState } from './evaluator';
import { ancestorWalker, freeSpaceReading, readingsOf, ruleTargets } from './targets';

export interface ThresholdWatchDeps {
  rules(): readonly ThresholdRule[];
  inventory(): Iterable<InventoryNode>;
  node(id: string): InventoryNode | undefined;
  /** the server is connected now (a disconnected server's items keep their last state in the tree) */
  connected(serverId: string): boolean;
  /** the item's live (10-minute) series */
  liveSeries(nodeId: string): Promise<MetricsAnswer>;
  /** many items' live series at once, each since its `sinceSeconds` (absent: the whole live window); a failed item's answer is its Error */
  liveSeriesMany?(requests: Array<{ nodeId: string; sinceSeconds?: number }>): Promise<Map<string, MetricsAnswer | Error>>;
  emit(delta: NotificationDelta<Alert>): void;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  now?: () => number;
}

export interface ThresholdWatchOptions {
  /** how often the rules are evaluated (default 10 s) */
  intervalMs?: number;
  /** live-series requests in flight at once (default 4) */
  concurrency?: number;
  /** false: every item's 10-minute series on its own even where the platform reads many at once (the bench's comparison) */
  batch?: boolean;
}

interface Watched {
  rule: ThresholdRule;
  node: InventoryNode;
  state?: WatchState;
  alert?: Alert;
  /** dismissed while raised: not shown again until the condition ends */
  dismissed?: boolean;
}

const key = (ruleId: string, nodeId: string) => `${ruleId}|${nodeId}`;
/** read back this much before the last reading taken in: a round that finds no newer row still sees the item's data */
const OVERLAP_S = 30;

export class ThresholdWatch {
  /** per rule and item: the rule it was evaluated with (a changed rule starts afresh), its state and alert */
  private readonly watched = new Map<string, Watched>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private round: Promise<void> | undefined;
  private stopped = true;
  private readonly failing = new Map<string, string>();

  constructor(
    private readonly deps: ThresholdWatchDeps,
    private readonly options: ThresholdWatchOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** The alerts raised now and not dismissed. */
  alerts(): Alert[] {
    return [...this.watched.values()].filter((w) => w.alert && !w.dismissed).map((w) => w.alert!);
  }

  /** Dismisses Polyvisor alerts locally; returns the ids that were raised. */
  dismiss(ids: string[]): string[] {
    const wanted = new Set(ids);
    const done: string[] = [];
    for (const w of this.watched.values()) {
      if (!w.alert || w.dismissed || !wanted.has(w.alert.id)) continue;
      w.dismissed = true;
      done.push(w.alert.id);
    }
    if (done.length) this.deps.emit({ serverId: POLYVISOR_ALERT_SOURCE, upsert: [], remove: done });
    return done;
  }

  /** The rules changed: drop the watches of removed, disabled or changed rules (clearing their alerts). */
  rulesChanged(): void {
    const current = new Map(this.deps.rules().map((r) => [r.id, r]));
    const removed: string[] = [];
    for (const [k, w] of this.watched) {
      const rule = current.get(w.rule.id);
      if (rule && rule.enabled && JSON.stringify(rule) === JSON.stringify(w.rule)) continue;
      if (w.alert && !w.dismissed) removed.push(w.alert.id);
      this.watched.delete(k);
    }
    if (removed.length) this.deps.emit({ serverId: POLYVISOR_ALERT_SOURCE, upsert: [], remove: removed });
    if (!this.stopped) this.schedule(0);
  }

  /** One evaluation of every enabled rule (the timer calls it; tests may too). */
  evaluateNow(): Promise<void> {
    this.round ??= this.evaluateRound().finally(() => (this.round = undefined));
    return this.round;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.evaluateNow().finally(() => {
        if (!this.stopped) this.schedule(this.options.intervalMs ?? 10_000);
      });
    }, ms);
    this.timer.unref?.();
  }

  private async evaluateRound(): Promise<void> {
    const rules = this.deps.rules().filter((r) => r.enabled);
    const nodes = [...this.deps.inventory()].filter((n) => this.deps.connected(n.serverId));
    const ancestors = ancestorWalker((id) => this.deps.node(id));
    const targets = new Map<string, { rule: ThresholdRule; node: InventoryNode }>();
    for (const rule of rules) for (const node of ruleTargets(rule, nodes, ancestors)) targets.set(key(rule.id, node.id), { rule, node });

    const wanted = [...new Set([...targets.values()].filter((t) => t.rule.metric !== 'diskFree').map((t) => t.node.id))];
    const series = await this.readSeries(wanted, targets);
    if (this.stopped) return;

    const upsert: Alert[] = [];
    const remove: string[] = [];
    const nowMs = this.deps.now?.() ?? Date.now();
    for (const [k, target] of targets) {
      const w = this.watched.get(k) ?? { rule: target.rule, node: target.node };
      w.node = target.node;
      this.watched.set(k, w);
      const answer = series.get(target.node.id);
      if (answer === null) continue; // the request failed (logged): keep what is known until the next round
      const readings: Reading[] = answer ? readingsOf(target.rule.metric as 'cpu' | 'memory', answer, target.node) : freeSpaceReading(target.node, nowMs / 1000);
      const { state, transition } = evaluate(
        { comparison: target.rule.comparison, limit: target.rule.value, durationSeconds: target.rule.durationSeconds },
        w.state,
        readings,
        answer?.stepSeconds ?? (this.options.intervalMs ?? 10_000) / 1000,
      );
      w.state = state;
      if (transition?.kind === 'raise') {
        w.alert = thresholdAlert(target.rule, target.node, transition.value, transition.since * 1000, nowMs);
        w.dismissed = false;
        upsert.push(w.alert);
      } else if (transition?.kind === 'clear') {
        if (w.alert && !w.dismissed) remove.push(w.alert.id);
        delete w.alert;
        w.dismissed = false;
      }
    }
    // items that left the scope, stopped or went away: their alerts end
    for (const [k, w] of this.watched) {
      if (targets.has(k)) continue;
      if (w.alert && !w.dismissed) remove.push(w.alert.id);
      this.watched.delete(k);
    }
    if (upsert.length || remove.length) this.deps.emit({ serverId: POLYVISOR_ALERT_SOURCE, upsert, remove });
  }

  /** Each wanted item's series (null: the request failed, logged). */
  private async readSeries(wanted: string[], targets: Map<string, { rule: ThresholdRule; node: InventoryNode }>): Promise<Map<string, MetricsAnswer | null>> {
    const series = new Map<string, MetricsAnswer | null>();
    if (!this.deps.liveSeriesMany || this.options.batch === false) {
      await forEachLimited(wanted, this.options.concurrency ?? 4, async (nodeId) => {
        series.set(nodeId, await this.liveSeries(nodeId));
      });
      return series;
    }
    // since the oldest reading any of the item's rules has taken in; a rule new to the item reads the whole window
    const since = new Map<string, number>();
    for (const [k, t] of targets) {
      const lastT = this.watched.get(k)?.state?.lastT;
      const from = lastT !== undefined && Number.isFinite(lastT) ? lastT - OVERLAP_S : -Infinity;
      since.set(t.node.id, Math.min(since.get(t.node.id) ?? Infinity, from));
    }
    const requests = wanted.map((nodeId) => {
      const from = since.get(nodeId)!;
      return Number.isFinite(from) ? { nodeId, sinceSeconds: from } : { nodeId };
    });
    const answers = await this.deps.liveSeriesMany(requests);
    for (const nodeId of wanted) series.set(nodeId, this.outcome(nodeId, answers.get(nodeId) ?? new Error('no answer')));
    return series;
  }

  private async liveSeries(nodeId: string): Promise<MetricsAnswer | null> {
    try {
      return this.outcome(nodeId, await this.deps.liveSeries(nodeId));
    } catch (e) {
      return this.outcome(nodeId, e);
    }
  }

  /** An item's answer, or null for a failure (said once per item and reason, not at every round). */
  private outcome(nodeId: string, answer: MetricsAnswer | unknown): MetricsAnswer | null {
    if (!(answer instanceof Error) && answer && typeof answer === 'object' && 'series' in answer) {
      this.failing.delete(nodeId);
      return answer as MetricsAnswer;
    }
    const message = toErrorInfo(answer).message;
    if (this.failing.get(nodeId) !== message) this.deps.log?.('warn', `Threshold rules: the live data of ${nodeId} could not be read: ${message}`);
    this.failing.set(nodeId, message);
    return null;
  }
}

function thresholdAlert(rule: ThresholdRule, node: InventoryNode, observed: number, since: number, now: number): Alert {
  const rounded = Math.round(observed * 10) / 10;
  return {
    id: alertId(POLYVISOR_ALERT_SOURCE, `${rule.id}:${node.id}`),
    serverId: POLYVISOR_ALERT_SOURCE,
    nativeRef: `${rule.id}:${node.id}`,
    nodeId: node.id,
    objectName: node.name,
    severity: rule.severity,
    name: 'POLYVISOR_THRESHOLD',
    title: rule.name,
    body: `${describeCondition(rule)}: ${rounded} % on ${node.name}.`,
    time: now,
    dismissable: true,
    threshold: {
      ruleId: rule.id,
      ruleName: rule.name,
      metric: rule.metric,
      comparison: rule.comparison,
      limit: rule.value,
      durationSeconds: rule.durationSeconds,
      observed: rounded,
      since,
    },
  };
}
