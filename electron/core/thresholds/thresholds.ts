// Threshold rules, assembled for the composition root: the rule store, the handlers of
// the thresholds:* channels, and (in the app, not the CLI) the watch that evaluates the
// rules and raises Polyvisor's own alerts.

import type { ChannelHandlers, EventMap, StoreProblem } from '../../../shared/contract';
import type { Alert, NotificationDelta } from '../../../shared/notifications';
import type { ThresholdRule } from '../../../shared/thresholds';
import type { ProfileWatchOptions } from '../util/profile-file';
import { ThresholdRuleStore } from './rule-store';
import { ThresholdWatch, type ThresholdWatchDeps, type ThresholdWatchOptions } from './threshold-watch';

export interface ThresholdParts extends Omit<ThresholdWatchDeps, 'rules' | 'emit'> {
  home: string;
  emit<E extends 'thresholds:changed' | 'alerts:changed'>(event: E, payload: EventMap[E]): void;
  problem(problem: StoreProblem): void;
  options?: ThresholdWatchOptions;
}

export interface Thresholds {
  handlers: Pick<ChannelHandlers, `thresholds:${string}` & keyof ChannelHandlers>;
  /** thresholds.json could not be read at start */
  problem?: StoreProblem;
  /** Polyvisor's own alerts, for the Notifications service */
  alerts: { list(): Alert[]; dismiss(ids: string[]): string[] };
  /** the app: follow thresholds.json and evaluate the rules on a timer */
  start(watch?: Partial<ProfileWatchOptions>): void;
  stop(): Promise<void>;
  /** one evaluation round now (tests) */
  evaluateNow(): Promise<void>;
}

export async function createThresholds(parts: ThresholdParts): Promise<Thresholds> {
  const store = await ThresholdRuleStore.open(parts.home, parts.problem);
  const watch = new ThresholdWatch(
    { ...parts, rules: () => store.current(), emit: (delta: NotificationDelta<Alert>) => parts.emit('alerts:changed', delta) },
    parts.options,
  );
  const changed = (rules: ThresholdRule[]) => {
    parts.emit('thresholds:changed', { rules });
    watch.rulesChanged();
  };
  const changedAfter = async <T>(p: Promise<T>): Promise<T> => {
    const result = await p;
    changed(store.current());
    return result;
  };
  return {
    handlers: {
      'thresholds:list': () => store.list(),
      'thresholds:create': (draft) => changedAfter(store.add(draft, new Date())),
      'thresholds:update': (id, changes) => changedAfter(store.update(id, changes)),
      'thresholds:delete': async (id) => {
        await changedAfter(store.remove(id));
      },
    },
    problem: store.problem,
    alerts: { list: () => watch.alerts(), dismiss: (ids) => watch.dismiss(ids) },
    start(options = {}) {
      store.watch(changed, {
        ...options,
        onError: (e) => parts.log?.('warn', `Following ${store.file} failed: ${e.message}`),
        onProblem: parts.problem,
      });
      watch.start();
    },
    async stop() {
      store.close();
      await watch.stop();
    },
    evaluateNow: () => watch.evaluateNow(),
  };
}
