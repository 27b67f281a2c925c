// Evaluates the enabled threshold rules on a timer: each round resolves every rule's
// targets in the inventory, asks each target's live series once (however many rules
// watch it) with a bounded number of requests in flight, and feeds each rule's
// evaluator. Raised alerts are Polyvisor's own (source POLYVISOR_ALERT_SOURCE) in the
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
  emit(delta: NotificationDelta<Alert>): void;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  now?: () => number;
}

export interface ThresholdWatchOptions {
  /** how often the rules are evaluated (default 10 s) */
  intervalMs?: number;
  /** live-series requests in flight at once (default 4) */
  concurrency?: number;
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

    const series = new Map<string, MetricsAnswer | null>();
    const wanted = [...new Set([...targets.values()].filter((t) => t.rule.metric !== 'diskFree').map((t) => t.node.id))];
    await forEachLimited(wanted, this.options.concurrency ?? 4, async (nodeId) => {
      series.set(nodeId, await this.liveSeries(nodeId));
    });
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

  private async liveSeries(nodeId: string): Promise<MetricsAnswer | null> {
    try {
      const answer = await this.deps.liveSeries(nodeId);
      this.failing.delete(nodeId);
      return answer;
    } catch (e) {
      const message = toErrorInfo(e).message;
      // said once per item and reason, not at every round
      if (this.failing.get(nodeId) !== message) this.deps.log?.('warn', `Threshold rules: the live data of ${nodeId} could not be read: ${message}`);
      this.failing.set(nodeId, message);
      return null;
    }
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
