// The coalesced stream of inventory deltas leaves a consumer where the whole stream does,
// and what waits is bounded by the nodes that changed (issue 17).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InventoryDelta, InventoryNode } from '../../shared/model';
import { DeltaCoalescer } from '../../electron/core/inventory/delta-coalescer';

const SERVERS = ['a', 'b'];

/** As the renderer applies a delta (renderer/src/tree/inventory-index.ts applyDeltas). */
function applyTo(nodes: Map<string, InventoryNode>, delta: InventoryDelta): void {
  if (delta.reset) for (const [id, node] of nodes) if (node.serverId === delta.serverId) nodes.delete(id);
  for (const id of delta.remove) nodes.delete(id);
  for (const node of delta.upsert) nodes.set(node.id, node);
}

const node = (serverId: string, n: number, version: number): InventoryNode => ({
  id: `${serverId}:vm:${n}`,
  serverId,
  kind: 'vm',
  name: `vm ${n} v${version}`,
  parentId: null,
  nativeRef: String(n),
  allowed: [],
  props: {},
});

const deltaArb = fc
  .record({
    server: fc.constantFrom(...SERVERS),
    reset: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
    upsert: fc.array(fc.record({ n: fc.integer({ min: 0, max: 12 }), version: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 6 }),
    remove: fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 4 }),
  })
  .map(
    ({ server, reset, upsert, remove }): InventoryDelta => ({
      serverId: server,
      ...(reset ? { reset: true } : {}),
      upsert: upsert.map(({ n, version }) => node(server, n, version)),
      remove: remove.map((n) => `${server}:vm:${n}`),
    }),
  );

const startArb = fc.array(fc.record({ server: fc.constantFrom(...SERVERS), n: fc.integer({ min: 0, max: 12 }) }), { maxLength: 20 }).map((list) => {
  const nodes = new Map<string, InventoryNode>();
  for (const { server, n } of list) nodes.set(`${server}:vm:${n}`, node(server, n, -1));
  return nodes;
});

describe('DeltaCoalescer', () => {
  it('applied, leaves a consumer where every delta applied in turn does', () => {
    fc.assert(
      fc.property(startArb, fc.array(deltaArb, { maxLength: 30 }), fc.integer({ min: 1, max: 30 }), (start, deltas, takeEvery) => {
        const each = new Map(start);
        for (const d of deltas) applyTo(each, d);

        const merged = new Map(start);
        const coalescer = new DeltaCoalescer();
        deltas.forEach((d, i) => {
          coalescer.add(d);
          if ((i + 1) % takeEvery === 0) for (const m of coalescer.take()) applyTo(merged, m);
        });
        for (const m of coalescer.take()) applyTo(merged, m);
        expect(coalescer.empty).toBe(true);
        expect([...merged].sort()).toEqual([...each].sort());
      }),
      { numRuns: 500 },
    );
  });

  it('holds at most one entry per node that changed, however many changes came', () => {
    fc.assert(
      fc.property(fc.array(deltaArb, { minLength: 1, maxLength: 60 }), (deltas) => {
        const coalescer = new DeltaCoalescer();
        const touched = new Set<string>();
        for (const d of deltas) {
          coalescer.add(d);
          for (const n of d.upsert) touched.add(n.id);
          for (const id of d.remove) touched.add(id);
        }
        const taken = coalescer.take();
        const entries = taken.reduce((sum, d) => sum + d.upsert.length + d.remove.length, 0);
        expect(entries).toBeLessThanOrEqual(touched.size);
        expect(taken.length).toBeLessThanOrEqual(SERVERS.length);
        for (const d of taken) expect(new Set([...d.upsert.map((n) => n.id), ...d.remove]).size).toBe(d.upsert.length + d.remove.length);
      }),
    );
  });

  it('counts what waits', () => {
    const c = new DeltaCoalescer();
    c.add({ serverId: 'a', upsert: [node('a', 1, 1), node('a', 2, 1)], remove: [] });
    c.add({ serverId: 'a', upsert: [node('a', 1, 2)], remove: ['a:vm:2'] });
    expect(c.size).toBe(2);
    c.add({ serverId: 'a', reset: true, upsert: [node('a', 3, 1)], remove: [] });
    expect(c.size).toBe(1);
    expect(c.take()).toEqual([{ serverId: 'a', reset: true, upsert: [node('a', 3, 1)], remove: [] }]);
    expect(c.size).toBe(0);
  });
});
