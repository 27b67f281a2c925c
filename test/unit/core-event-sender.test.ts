// The core process's events to its host (issue 17): a large inventory delta goes in pieces,
// one per turn of the event loop; applied in order the pieces leave the host where the whole
// delta would, and the events after it keep their place.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import type { InventoryDelta, InventoryNode } from '../../shared/model';
import { deltaPieces, EventSender, PIECE_NODES } from '../../electron/core/host/event-sender';

/** As the renderer applies a delta (renderer/src/tree/inventory-index.ts applyDeltas). */
function applyTo(nodes: Map<string, InventoryNode>, delta: InventoryDelta): void {
  if (delta.reset) for (const [id, node] of nodes) if (node.serverId === delta.serverId) nodes.delete(id);
  for (const id of delta.remove) nodes.delete(id);
  for (const node of delta.upsert) nodes.set(node.id, node);
}

const node = (n: number, version = 0): InventoryNode => ({ id: `s1:vm:${n}`, serverId: 's1', kind: 'vm', name: `vm ${n} v${version}`, parentId: null, nativeRef: String(n), allowed: [], props: {} });

describe('deltaPieces', () => {
  it('applied in order, the pieces leave a consumer where the whole delta does; none is larger than asked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }),
        fc.array(fc.record({ n: fc.integer({ min: 0, max: 40 }), v: fc.integer({ min: 0, max: 9 }) }), { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 12 }),
        (start, upsert, remove, reset, most) => {
          const delta: InventoryDelta = { serverId: 's1', upsert: upsert.map(({ n, v }) => node(n, v)), remove: remove.map((n) => `s1:vm:${n}`), ...(reset ? { reset: true } : {}) };
          const whole = new Map(start.map((n) => [`s1:vm:${n}`, node(n, -1)]));
          const pieced = new Map(whole);
          applyTo(whole, delta);
          const pieces = deltaPieces(delta, most);
          for (const p of pieces) {
            expect(p.upsert.length + p.remove.length).toBeLessThanOrEqual(most);
            applyTo(pieced, p);
          }
          expect(pieces.filter((p) => p.reset).length).toBe(reset ? 1 : 0);
          expect([...pieced].sort()).toEqual([...whole].sort());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps a small delta whole, the same object', () => {
    const small: InventoryDelta = { serverId: 's1', upsert: [node(1)], remove: [] };
    expect(deltaPieces(small)).toEqual([small]);
    expect(deltaPieces(small)[0]).toBe(small);
  });
});

describe('EventSender', () => {
  it('sends a large delta one piece per turn, the events after it behind it, small ones at once when nothing waits', async () => {
    const sent: Array<{ event: EventName; payload: unknown }> = [];
    const sender = new EventSender((event, payload) => sent.push({ event, payload }));
    sender.push('server:removed', { id: 'x' });
    expect(sent).toHaveLength(1);

    const big: InventoryDelta = { serverId: 's1', reset: true, upsert: Array.from({ length: PIECE_NODES * 2 + 10 }, (_, i) => node(i)), remove: [] };
    sender.push('inventory:delta', big);
    sender.push('server:removed', { id: 'y' });
    expect(sent).toHaveLength(1);
    let turns = 0;
    while (sent.length < 5) {
      const before = sent.length;
      await new Promise((r) => setImmediate(r));
      turns++;
      expect(sent.length - before).toBeLessThanOrEqual(1);
      if (turns > 20) throw new Error('the pieces did not all go');
    }
    expect(sent.map((s) => s.event)).toEqual(['server:removed', 'inventory:delta', 'inventory:delta', 'inventory:delta', 'server:removed']);
    const nodes = new Map<string, InventoryNode>();
    for (const s of sent) if (s.event === 'inventory:delta') applyTo(nodes, s.payload as InventoryDelta);
    expect(nodes.size).toBe(big.upsert.length);

    await new Promise((r) => setImmediate(r));
    sender.push('server:removed', { id: 'z' });
    expect(sent).toHaveLength(6);
  });
});
