// The pure heart of threshold rules: one rule, one watched item, its readings in time
// order → whether the rule's alert is raised. A reading past the limit starts a breach;
// the breach must hold (no reading back inside the limit, no gap in the readings) for
// the rule's duration before the alert is raised; a raised alert clears only once a
// reading comes back past the limit by the clear margin (hysteresis), so a value
// wavering around the limit does not raise and clear it at every reading.

import { clearMargin, type ThresholdComparison } from '../../../shared/thresholds';

/** One reading: Unix seconds and the value in percent (null: the server had none then). */
export interface Reading {
  t: number;
  v: number | null;
}

export interface Condition {
  comparison: ThresholdComparison;
  /** percent */
  limit: number;
  durationSeconds: number;
}

export interface WatchState {
  /** the time of the last reading taken in (later evaluations read only what is newer) */
  lastT: number;
  /** the first reading of the breach going on now */
  breachSince?: number;
  /** the alert is raised */
  raised: boolean;
  /** the value that raised it */
  raisedValue?: number;
}

export type Transition = { kind: 'raise'; value: number; since: number } | { kind: 'clear' };

export interface Evaluation {
  state: WatchState;
  transition?: Transition;
}

/** Readings further apart than this break a breach: nothing is known about the time between. */
export function maxGapSeconds(stepSeconds: number): number {
  return Math.max(30, 3 * stepSeconds);
}

export function breaches(condition: Condition, v: number): boolean {
  return condition.comparison === 'above' ? v > condition.limit : v < condition.limit;
}

export function recovered(condition: Condition, v: number): boolean {
  const margin = clearMargin(condition.limit);
  return condition.comparison === 'above' ? v <= condition.limit - margin : v >= condition.limit + margin;
}

/**
 * Takes in the readings newer than the state's last one. `readings` may overlap what an
 * earlier call saw (the live window is asked again each time) and must be in time order.
 * No readings at all (the item stopped, the platform has none) clears a raised alert.
 */
export function evaluate(condition: Condition, previous: WatchState | undefined, readings: readonly Reading[], stepSeconds: number): Evaluation {
  const known = readings.filter((r): r is { t: number; v: number } => r.v !== null && Number.isFinite(r.v));
  if (known.length === 0) {
    const state: WatchState = { lastT: previous?.lastT ?? -Infinity, raised: false };
    return previous?.raised ? { state, transition: { kind: 'clear' } } : { state };
  }
  const gap = maxGapSeconds(stepSeconds);
  const state: WatchState = previous ? { ...previous } : { lastT: -Infinity, raised: false };
  let since = state.breachSince;
  for (const r of readings) {
    if (r.t <= state.lastT) continue;
    if (r.v === null || !Number.isFinite(r.v) || r.t - state.lastT > gap) since = undefined;
    state.lastT = r.t;
    if (r.v === null || !Number.isFinite(r.v)) continue;
    since = breaches(condition, r.v) ? (since ?? r.t) : undefined;
    if (!state.raised && since !== undefined && r.t - since >= condition.durationSeconds) {
      state.raised = true;
      state.raisedValue = r.v;
    } else if (state.raised && recovered(condition, r.v)) {
      state.raised = false;
      delete state.raisedValue;
    }
  }
  if (since === undefined) delete state.breachSince;
  else state.breachSince = since;
  const wasRaised = previous?.raised ?? false;
  if (state.raised && !wasRaised) return { state, transition: { kind: 'raise', value: state.raisedValue!, since: state.breachSince ?? state.lastT } };
  if (!state.raised && wasRaised) return { state, transition: { kind: 'clear' } };
  return { state };
}
