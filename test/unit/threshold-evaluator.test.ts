// Threshold rules' evaluator and targets (issue 15): a breach raises the alert only once
// it has held for the rule's duration without a reading back inside the limit or a gap;
// a raised alert clears only past the clear margin (hysteresis) or when the readings
// stop; readings asked again (the live window overlaps) are taken once; scopes pick
// the items of a server, a subtree, a tag or one node, running guests only.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, maxGapSeconds, type Condition, type Reading, type WatchState } from '../../electron/core/thresholds/evaluator';
import { ancestorWalker, freeSpaceReading, readingsOf, ruleTargets } from '../../electron/core/thresholds/targets';
import type { InventoryNode } from '../../shared/model';
import { clearMargin, type ThresholdRule } from '../../shared/thresholds';

const over90for60: Condition = { comparison: 'above', limit: 90, durationSeconds: 60 };
const series = (start: number, step: number, values: Array<number | null>): Reading[] => values.map((v, i) => ({ t: start + i * step, v }));

/** Feeds readings in batches, as the watch does round after round; returns the transitions in order. */
function run(condition: Condition, batches: Reading[][], step = 5): { transitions: string[]; state?: WatchState } {
  let state: WatchState | undefined;
  const transitions: string[] = [];
  for (const batch of batches) {
    const out = evaluate(condition, state, batch, step);
    state = out.state;
    if (out.transition) transitions.push(out.transition.kind);
  }
  return { transitions, state };
}

describe('the evaluator', () => {
  it('raises once a breach has held for the duration, not before', () => {
    const short = series(1000, 5, [95, 95, 95, 95, 95, 95, 95, 95, 95, 95, 95, 95]); // 55 s of breach
    expect(run(over90for60, [short]).transitions).toEqual([]);
    const long = series(1000, 5, Array(13).fill(95)); // 60 s
    const out = evaluate(over90for60, undefined, long, 5);
    expect(out.transition).toEqual({ kind: 'raise', value: 95, since: 1000 });
  });

  it('a reading back inside the limit restarts the duration', () => {
    const values = [...Array(10).fill(95), 80, ...Array(10).fill(95)];
    expect(run(over90for60, [series(1000, 5, values)]).transitions).toEqual([]);
  });

  it('a gap in the readings restarts the duration', () => {
    const before = series(1000, 5, Array(8).fill(95));
    const after = series(1000 + 8 * 5 + maxGapSeconds(5) + 5, 5, Array(8).fill(95));
    expect(run(over90for60, [before, after]).transitions).toEqual([]);
    // a missing value (null) is a gap too
    expect(run(over90for60, [series(1000, 5, [...Array(8).fill(95), null, ...Array(8).fill(95)])]).transitions).toEqual([]);
  });

  it('holds across rounds whose windows overlap, taking each reading once', () => {
    const all = series(1000, 5, Array(20).fill(95));
    const { transitions, state } = run(over90for60, [all.slice(0, 8), all.slice(0, 12), all.slice(4, 20)]);
    expect(transitions).toEqual(['raise']);
    expect(state).toMatchObject({ raised: true, breachSince: 1000, lastT: all[19]!.t });
  });

  it('clears only past the margin (hysteresis), and when the readings stop', () => {
    const raised = series(1000, 5, Array(13).fill(95));
    const wavering = series(1065, 5, [89, 91, 88, 92, 86]); // inside 90 − 5 = 85: stays raised
    expect(run(over90for60, [raised, wavering]).transitions).toEqual(['raise']);
    expect(run(over90for60, [raised, wavering, series(1090, 5, [84])]).transitions).toEqual(['raise', 'clear']);
    expect(run(over90for60, [raised, []]).transitions).toEqual(['raise', 'clear']);
    expect(clearMargin(90)).toBe(5);
    expect(clearMargin(10)).toBe(1);
  });

  it('a "below" rule raises under the limit and clears above it plus the margin', () => {
    const lowFree: Condition = { comparison: 'below', limit: 10, durationSeconds: 0 };
    expect(run(lowFree, [[{ t: 1, v: 9.5 }], [{ t: 20, v: 10.5 }], [{ t: 40, v: 11.5 }]], 10).transitions).toEqual(['raise', 'clear']);
  });

  it('duration 0 raises at the first reading past the limit', () => {
    expect(evaluate({ comparison: 'above', limit: 50, durationSeconds: 0 }, undefined, [{ t: 5, v: 50.1 }], 1).transition).toMatchObject({ kind: 'raise', value: 50.1 });
    expect(evaluate({ comparison: 'above', limit: 50, durationSeconds: 0 }, undefined, [{ t: 5, v: 50 }], 1).transition).toBeUndefined();
  });

  it('never raises without a full duration of breaching readings, however they are cut into rounds (property)', () => {
    const arb = fc.record({
      limit: fc.integer({ min: 1, max: 99 }),
      duration: fc.integer({ min: 0, max: 120 }),
      values: fc.array(fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }), { minLength: 1, maxLength: 80 }),
      cuts: fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 20 }),
    });
    fc.assert(
      fc.property(arb, ({ limit, duration, values, cuts }) => {
        const condition: Condition = { comparison: 'above', limit, durationSeconds: duration };
        const readings = series(10_000, 5, values);
        const batches: Reading[][] = [];
        for (let at = 0, i = 0; at < readings.length; i++) {
          const n = cuts[i % cuts.length]!;
          batches.push(readings.slice(Math.max(0, at - 2), at + n)); // overlapping windows
          at += n;
        }
        const inOne = run(condition, [readings]).state!;
        const inRounds = run(condition, batches).state!;
        // the rounds see what one look sees (batches never contain an empty window here)
        expect(inRounds.raised).toBe(inOne.raised);
        // a raise needs a run of known readings over the limit spanning the duration
        let runStart: number | undefined;
        let longest = -1;
        for (const r of readings) {
          runStart = r.v !== null && r.v > limit ? (runStart ?? r.t) : undefined;
          if (runStart !== undefined) longest = Math.max(longest, r.t - runStart);
        }
        if (longest < duration) expect(inOne.raised).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

const node = (id: string, kind: InventoryNode['kind'], parentId: string | null, extra: Partial<InventoryNode> = {}): InventoryNode => ({
  id,
  serverId: id.split(':')[0]!,
  kind,
  name: id,
  parentId,
  nativeRef: id,
  allowed: [],
  props: {},
  ...extra,
});

const rule = (fields: Partial<ThresholdRule>): ThresholdRule => ({
  id: 'threshold:1',
  name: 'r',
  metric: 'cpu',
  comparison: 'above',
  value: 90,
  durationSeconds: 0,
  scope: { kind: 'all' },
  kinds: [],
  severity: 'warning',
  enabled: true,
  createdAt: new Date(0).toISOString(),
  ...fields,
});

describe('the targets of a rule', () => {
  const nodes = [
    node('a:server:a', 'server', null),
    node('a:pool:p', 'pool', 'a:server:a'),
    node('a:host:h1', 'host', 'a:pool:p'),
    node('a:host:h2', 'host', 'a:pool:p'),
    node('a:vm:web', 'vm', 'a:host:h1', { state: 'running', props: { tags: ['prod'] } }),
    node('a:vm:db', 'vm', 'a:host:h2', { state: 'running' }),
    node('a:vm:off', 'vm', 'a:pool:p', { state: 'halted', props: { tags: ['prod'] } }),
    node('a:vm:dom0', 'vm', 'a:host:h1', { state: 'running', controlDomain: true }),
    node('a:storage:sr', 'storage', 'a:host:h1', { storage: { type: 'lvm', shared: false, size: 100, used: 95, free: 5, hostIds: [] } }),
    node('b:server:b', 'server', null),
    node('b:container:c', 'container', 'b:server:b', { state: 'running' }),
  ];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ids = (r: ThresholdRule) => ruleTargets(r, nodes, ancestorWalker((id) => byId.get(id))).map((n) => n.id).sort();

  it('all, a server, a subtree, a tag, one node — running guests and hosts, never the control domain', () => {
    expect(ids(rule({}))).toEqual(['a:host:h1', 'a:host:h2', 'a:vm:db', 'a:vm:web', 'b:container:c']);
    expect(ids(rule({ scope: { kind: 'server', serverId: 'b' } }))).toEqual(['b:container:c']);
    expect(ids(rule({ scope: { kind: 'subtree', nodeId: 'a:host:h1' } }))).toEqual(['a:host:h1', 'a:vm:web']);
    expect(ids(rule({ scope: { kind: 'tag', tag: 'prod' } }))).toEqual(['a:vm:web']);
    expect(ids(rule({ scope: { kind: 'node', nodeId: 'a:vm:db' } }))).toEqual(['a:vm:db']);
    expect(ids(rule({ kinds: ['vm'] }))).toEqual(['a:vm:db', 'a:vm:web']);
    expect(ids(rule({ metric: 'diskFree', comparison: 'below', value: 10 }))).toEqual(['a:storage:sr']);
  });

  it('reads CPU and memory % from the live series, and free space from the inventory', () => {
    const answer = {
      nodeId: 'a:vm:web',
      timeframe: '10m' as const,
      stepSeconds: 5,
      times: [100, 105],
      series: [
        { id: 'cpu_avg', metric: 'cpuTotal' as const, kind: 'cpu' as const, unit: 'percent' as const, values: [40, null] },
        { id: 'memory_used', metric: 'memoryUsed' as const, kind: 'memory' as const, unit: 'bytes' as const, values: [512, 768] },
        { id: 'memory', metric: 'memoryTotal' as const, kind: 'memory' as const, unit: 'bytes' as const, values: [1024, 1024] },
      ],
    };
    expect(readingsOf('cpu', answer, byId.get('a:vm:web')!)).toEqual([{ t: 100, v: 40 }, { t: 105, v: null }]);
    expect(readingsOf('memory', answer, byId.get('a:vm:web')!)).toEqual([{ t: 100, v: 50 }, { t: 105, v: 75 }]);
    // no total series (vSphere): the configured memory is the whole
    const consumedOnly = { ...answer, series: [answer.series[1]!] };
    expect(readingsOf('memory', consumedOnly, { ...byId.get('a:vm:web')!, props: { memory: 2048 } })).toEqual([{ t: 100, v: 25 }, { t: 105, v: 37.5 }]);
    expect(freeSpaceReading(byId.get('a:storage:sr')!, 7)).toEqual([{ t: 7, v: 5 }]);
  });
});
