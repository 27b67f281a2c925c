// The home page's summaries and the status bar's guest counts are kept from the deltas
// (summary/inventory-tally.ts). After any sequence of batches — state changes, moves,
// removals, server resets, a node changed twice in one batch — they must equal a full
// recount of the index the batches made.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InventoryDelta, InventoryNode, NodeKind, PowerState } from '../../shared/model';
import { InventoryTally } from '../../renderer/src/summary/inventory-tally';
import { summarizeServers, type Summary } from '../../renderer/src/summary/summary-data';
import { applyDeltas, emptyIndex, type InventoryIndex } from '../../renderer/src/tree/inventory-index';

const SERVERS = ['a', 'b', 'c'];
const KINDS: NodeKind[] = ['pool', 'host', 'vm', 'container', 'template', 'snapshot'];
const STATES: PowerState[] = ['running', 'halted', 'paused', 'suspended', 'unknown', 'unhealthy'];

/** A node picked by number (so batches hit the same nodes again), of one server and kind. */
const nodeArb = fc.record({
  n: fc.integer({ min: 0, max: 11 }),
  server: fc.constantFrom(...SERVERS),
  kind: fc.constantFrom(...KINDS),
  state: fc.option(fc.constantFrom(...STATES), { nil: undefined }),
  parent: fc.option(fc.integer({ min: 0, max: 11 }), { nil: undefined }),
  controlDomain: fc.boolean(),
  version: fc.option(fc.constantFrom('8.2', '8.3'), { nil: undefined }),
  cpus: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
  memory: fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: undefined }),
  maintenance: fc.boolean(),
  quorate: fc.option(fc.boolean(), { nil: undefined }),
});

type NodeSpec = typeof nodeArb extends fc.Arbitrary<infer T> ? T : never;

const idOf = (server: string, kind: NodeKind, n: number) => `${server}:${kind === 'pool' || kind === 'host' ? kind : 'guest'}:${n}`;

function nodeOf(s: NodeSpec): InventoryNode {
  const id = idOf(s.server, s.kind, s.n);
  return {
    id,
    serverId: s.server,
    kind: s.kind,
    name: `name-${(s.n * 7) % 5}-${s.kind}`,
    parentId: s.parent === undefined ? null : idOf(s.server, 'host', s.parent),
    nativeRef: id,
    state: s.state,
    allowed: [],
    props: { ...(s.version ? { version: s.version } : {}), ...(s.cpus ? { cpus: s.cpus } : {}), ...(s.memory ? { memoryTotal: s.memory } : {}), ...(s.quorate !== undefined ? { quorate: s.quorate } : {}) },
    controlDomain: s.controlDomain,
    maintenance: s.maintenance,
  };
}

const deltaArb = fc.record({
  server: fc.constantFrom(...SERVERS),
  reset: fc.boolean(),
  upsert: fc.array(nodeArb, { maxLength: 8 }),
  remove: fc.array(fc.tuple(fc.constantFrom<NodeKind>('pool', 'host', 'vm'), fc.integer({ min: 0, max: 11 })), { maxLength: 3 }),
});

function deltaOf(d: typeof deltaArb extends fc.Arbitrary<infer T> ? T : never): InventoryDelta {
  return {
    serverId: d.server,
    ...(d.reset ? { reset: true } : {}),
    // a delta carries its own server's nodes
    upsert: d.upsert.map((s) => nodeOf({ ...s, server: d.server })),
    remove: d.remove.map(([kind, n]) => idOf(d.server, kind, n)),
  };
}

/** A summary as a full recount makes it, attention in the tally's order (by name, then id). */
function recount(index: InventoryIndex, serverId: string): Summary {
  const summary = summarizeServers(index.nodes, [serverId]).get(serverId)!;
  const attention = [...summary.attention].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  return { ...summary, attention };
}

function guestRecount(index: InventoryIndex): { total: number; running: number } {
  let total = 0;
  let running = 0;
  for (const node of index.nodes.values()) {
    if ((node.kind !== 'vm' && node.kind !== 'container') || node.controlDomain) continue;
    total++;
    if (node.state === 'running') running++;
  }
  return { total, running };
}

describe('inventory tally', () => {
  it('equals a full recount after any sequence of batches', () => {
    fc.assert(
      fc.property(fc.array(fc.array(deltaArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), (batches) => {
        const tally = new InventoryTally();
        let index = emptyIndex();
        // the tally first counts the empty index, then only follows the batches
        tally.guests(index);
        for (const batch of batches) {
          const deltas = batch.map(deltaOf);
          tally.apply(index, deltas);
          index = applyDeltas(index, deltas);
          tally.after(index);
          for (const id of SERVERS) expect(tally.summary(index, id)).toEqual(recount(index, id));
          expect(tally.guests(index)).toEqual(guestRecount(index));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('follows batches without recounting, and recounts an index it did not see', () => {
    const vm = (n: number, state: PowerState, server = 'a') => nodeOf({ n, server, kind: 'vm', state, parent: undefined, controlDomain: false, version: undefined, cpus: undefined, memory: undefined, maintenance: false, quorate: undefined });
    const tally = new InventoryTally();
    let index = applyDeltas(emptyIndex(), [{ serverId: 'a', upsert: [vm(1, 'running'), vm(2, 'halted')], remove: [] }]);
    expect(tally.guests(index)).toEqual({ total: 2, running: 1 });
    // a batch the tally is told of: the map is changed in place, so a recount would also be right; the counts say it followed
    const batch: InventoryDelta[] = [{ serverId: 'a', upsert: [vm(2, 'running')], remove: [] }];
    tally.apply(index, batch);
    index = applyDeltas(index, batch);
    tally.after(index);
    expect(tally.guests(index)).toEqual({ total: 2, running: 2 });
    // an index made behind its back (a page of the first load): counted from scratch
    const other = applyDeltas(emptyIndex(), [{ serverId: 'b', upsert: [vm(3, 'halted', 'b')], remove: [] }]);
    expect(tally.guests(other)).toEqual({ total: 1, running: 0 });
    expect(tally.summary(other, 'a').guests.vm).toEqual({});
    expect(tally.summary(other, 'b').guests.vm).toEqual({ halted: 1 });
  });
});
