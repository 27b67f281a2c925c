// The Infrastructure layout patched after a patched index (tree/order-patch.ts): whatever
// guests a batch adds, removes, renames, turns into templates or moves between hosts, a
// pool and a standalone host — on a server whose pool is merged into its row and on one
// whose is not — the patched layout is the layout made from scratch of the same index.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InventoryDelta, InventoryNode, NodeKind } from '../../shared/model';
import { buildOrder, type TreeOrder } from '../../renderer/src/tree/flatten';
import { applyDeltas, emptyIndex } from '../../renderer/src/tree/inventory-index';
import { changedLists, patchOrder } from '../../renderer/src/tree/order-patch';

const node = (serverId: string, kind: NodeKind, ref: string, name: string, parentId: string | null, extra: Partial<InventoryNode> = {}): InventoryNode => ({
  id: `${serverId}:${kind}:${ref}`,
  serverId,
  kind,
  name,
  parentId,
  nativeRef: ref,
  allowed: [],
  props: {},
  ...extra,
});

// "one": its only pool has the server's name (merged into the server's row); "two": a pool of another name and a standalone host
const servers = [
  { id: 'one', name: 'One' },
  { id: 'two', name: 'Two' },
];
const frame: InventoryNode[] = [
  node('one', 'pool', 'p', 'one', null),
  ...[0, 1].map((i) => node('one', 'host', `h${i}`, `host-${i}`, 'one:pool:p')),
  node('two', 'pool', 'p', 'Other', null),
  node('two', 'host', 'h0', 'host-a', 'two:pool:p'),
  node('two', 'pool', 'lp', 'Lone', null, { props: { standalone: true } }),
  node('two', 'host', 'lh', 'lone-host', 'two:pool:lp'),
];
const parentsOf: Record<string, string[]> = { one: ['one:pool:p', 'one:host:h0', 'one:host:h1'], two: ['two:pool:p', 'two:host:h0', 'two:pool:lp'] };

const guestArb = fc.record({
  server: fc.constantFrom('one', 'two'),
  ref: fc.integer({ min: 0, max: 14 }),
  name: fc.constantFrom('alpha', 'beta', 'Gamma', 'vm-2', 'vm-10', 'delta'),
  kind: fc.constantFrom<NodeKind>('vm', 'vm', 'vm', 'template', 'container'),
  parent: fc.integer({ min: 0, max: 2 }),
  state: fc.constantFrom('running', 'halted'),
});
const guestOf = (g: typeof guestArb extends fc.Arbitrary<infer T> ? T : never): InventoryNode =>
  // a guest keeps its kind's id space: a VM turned template is the same object
  node(g.server, g.kind === 'template' ? 'vm' : g.kind, `g${g.ref}`, g.name, parentsOf[g.server]![g.parent]!, { kind: g.kind, state: g.state as InventoryNode['state'] });

const batchArb = fc.array(
  fc.oneof(
    guestArb.map((g): InventoryDelta => ({ serverId: g.server, upsert: [guestOf(g)], remove: [] })),
    fc.record({ server: fc.constantFrom('one', 'two'), ref: fc.integer({ min: 0, max: 14 }) }).map((r): InventoryDelta => ({ serverId: r.server, upsert: [], remove: [`${r.server}:vm:g${r.ref}`] })),
  ),
  { minLength: 1, maxLength: 6 },
);

const plain = (o: TreeOrder) => ({ keys: o.keys, serverIds: o.serverIds, names: o.names, depth: [...o.depth], parent: [...o.parent], end: [...o.end], template: [...o.template] });

describe('Infrastructure layout patch', () => {
  it('lays out what a whole layout of the same index lays out, after any batches of guest changes', () => {
    let patched = 0;
    fc.assert(
      fc.property(fc.array(guestArb, { maxLength: 20 }), fc.array(batchArb, { minLength: 1, maxLength: 8 }), (initial, batches) => {
        let index = applyDeltas(emptyIndex(), [{ serverId: 'one', upsert: frame.filter((n) => n.serverId === 'one'), remove: [] }, { serverId: 'two', upsert: frame.filter((n) => n.serverId === 'two'), remove: [] }]);
        index = applyDeltas(index, initial.map((g) => ({ serverId: g.server, upsert: [guestOf(g)], remove: [] })));
        let order = buildOrder(servers, index);
        for (const batch of batches) {
          const before = index.children;
          index = applyDeltas(index, batch);
          // null: most rows changed, a whole layout is made instead
          const next = patchOrder(order, servers, index, changedLists(before, index.children));
          if (next) expect(plain(next)).toEqual(plain(buildOrder(servers, index)));
          if (next) patched++;
          order = next ?? buildOrder(servers, index);
        }
      }),
      { numRuns: 300 },
    );
    // the property is about patches: most batches in it are patched
    expect(patched).toBeGreaterThan(300);
  });

  it('patches a move in one server of several, and lays out anew when most rows changed', () => {
    const vm = (ref: string, parent: string) => node('two', 'vm', ref, ref, parent, { state: 'running' });
    const others = Array.from({ length: 12 }, (_, i) => node('one', 'vm', `o${i}`, `other-${i}`, 'one:host:h0'));
    let index = applyDeltas(emptyIndex(), [
      { serverId: 'one', upsert: [...frame.filter((n) => n.serverId === 'one'), ...others], remove: [] },
      { serverId: 'two', upsert: [...frame.filter((n) => n.serverId === 'two'), vm('a', 'two:host:h0'), vm('b', 'two:host:lh')], remove: [] },
    ]);
    const order = buildOrder(servers, index);
    const before = index.children;
    // a halted VM leaves its host for the pool
    index = applyDeltas(index, [{ serverId: 'two', upsert: [{ ...vm('a', 'two:pool:p'), state: 'halted' }], remove: [] }]);
    const changed = changedLists(before, index.children);
    expect(changed.sort()).toEqual(['two:host:h0', 'two:pool:p']);
    const next = patchOrder(order, servers, index, changed)!;
    expect(plain(next)).toEqual(plain(buildOrder(servers, index)));
    expect(next.keys).toContain('two:vm:a');
    // a change in the server holding most rows: no patch
    const bigger = index.children;
    index = applyDeltas(index, [{ serverId: 'one', upsert: [{ ...others[0]!, parentId: 'one:host:h1' }], remove: [] }]);
    expect(patchOrder(next, servers, index, changedLists(bigger, index.children))).toBeNull();
  });
});
