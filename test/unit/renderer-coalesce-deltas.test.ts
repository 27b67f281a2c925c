// The deltas waiting for a frame are applied as one delta per server with each node's
// latest state (store/coalesce-deltas.ts): the index they make must be the one the
// deltas make applied one by one — resets, removals and re-adds included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InventoryDelta, InventoryNode, NodeKind } from '../../shared/model';
import { coalesceDeltas } from '../../renderer/src/store/coalesce-deltas';
import { applyDeltas, emptyIndex, type InventoryIndex } from '../../renderer/src/tree/inventory-index';

const SERVERS = ['a', 'b'];

const node = (server: string, kind: NodeKind, n: number, state: string, parent: number | null): InventoryNode => ({
  id: `${server}:${kind}:${n}`,
  serverId: server,
  kind,
  name: `${kind}-${n}`,
  parentId: parent === null ? null : `${server}:host:${parent}`,
  nativeRef: String(n),
  state: state as InventoryNode['state'],
  allowed: [],
  props: {},
});

const deltaArb = fc
  .record({
    server: fc.constantFrom(...SERVERS),
    reset: fc.boolean(),
    upsert: fc.array(fc.record({ kind: fc.constantFrom<NodeKind>('host', 'vm', 'vm', 'snapshot'), n: fc.integer({ min: 0, max: 5 }), state: fc.constantFrom('running', 'halted'), parent: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }) }), { maxLength: 5 }),
    remove: fc.array(fc.tuple(fc.constantFrom<NodeKind>('host', 'vm'), fc.integer({ min: 0, max: 5 })), { maxLength: 3 }),
  })
  .map(
    (d): InventoryDelta => ({
      serverId: d.server,
      ...(d.reset ? { reset: true } : {}),
      upsert: d.upsert.map((u) => node(d.server, u.kind, u.n, u.state, u.parent)),
      remove: d.remove.map(([kind, n]) => `${d.server}:${kind}:${n}`),
    }),
  );

/** What the tree shows of an index: every node, and the children lists. */
const shown = (index: InventoryIndex) => ({
  nodes: [...index.nodes.values()].sort((x, y) => (x.id < y.id ? -1 : 1)),
  children: Object.fromEntries([...index.children].sort(([x], [y]) => (x < y ? -1 : 1))),
});

const start = (deltas: InventoryDelta[]) => applyDeltas(emptyIndex(), deltas);

describe('coalesced deltas', () => {
  it('make the index the deltas make one by one', () => {
    fc.assert(
      fc.property(fc.array(deltaArb, { maxLength: 4 }), fc.array(deltaArb, { minLength: 1, maxLength: 12 }), (before, waiting) => {
        const oneByOne = waiting.reduce((index, delta) => applyDeltas(index, [delta]), start(before));
        const coalesced = applyDeltas(start(before), coalesceDeltas(waiting));
        expect(shown(coalesced)).toEqual(shown(oneByOne));
      }),
      { numRuns: 500 },
    );
  });

  it('applies a node changed many times once, in its latest state', () => {
    const flips: InventoryDelta[] = Array.from({ length: 50 }, (_, i) => ({ serverId: 'a', upsert: [node('a', 'vm', 1, i % 2 ? 'running' : 'halted', 0)], remove: [] }));
    const out = coalesceDeltas([...flips, { serverId: 'b', upsert: [node('b', 'vm', 2, 'running', null)], remove: [] }]);
    expect(out).toHaveLength(2);
    expect(out[0]!.upsert).toEqual([node('a', 'vm', 1, 'running', 0)]);
    expect(out[1]!.upsert.map((n) => n.id)).toEqual(['b:vm:2']);
  });
});
