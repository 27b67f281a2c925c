// What makes the 100,000-node tree cheap (issue 17) without changing what it shows: the
// natural order without allocations, state-only deltas updating the node map in place
// (no copy per batch) and guests added or moved patched in (renderer-index-patch.test.ts), the tree's positions mapped only
// when asked, and the filter narrowing a growing query to the last matches and keeping
// the recent searches' marks — each checked against the plain computation.
import { describe, expect, it, vi } from 'vitest';
import type { InventoryNode, NodeKind } from '../../shared/model';
import { applyDeltas, buildIndex, serverKey } from '../../renderer/src/tree/inventory-index';
import { buildOrder } from '../../renderer/src/tree/flatten';
import { cachedMarks, matchMarks, rowsFor } from '../../renderer/src/views/filter-marks';
import { visibleRows } from '../../renderer/src/tree/flatten';
import { LazyLowerNames, NAME_SLICE } from '../../renderer/src/tree/lower-names';
import type { SubjectIndex } from '../../renderer/src/views/subjects';
import { layOutNextAtOnce, viewOrder } from '../../renderer/src/views/view-order';
import { NO_OWN_LABELS } from '../../shared/search/subject';
import { server } from './helpers/renderer-state';

function node(kind: NodeKind, ref: string, name: string, parentId: string | null, extra: Partial<InventoryNode> = {}): InventoryNode {
  return { id: `s:${kind}:${ref}`, serverId: 's', kind, name, parentId, nativeRef: ref, allowed: [], props: {}, ...extra };
}
const byId = (nodes: InventoryNode[]) => new Map(nodes.map((n) => [n.id, n]));
const pool = node('pool', 'p', 'Pool', null);
const host = node('host', 'h', 'host', pool.id);
const servers = [{ id: 's', name: 'Server' }];
const noSubjects: SubjectIndex = { get: () => undefined };

/** The names of the host's children in tree order. */
function orderOf(names: string[]): string[] {
  const vms = names.map((name, i) => node('vm', `v${i}`, name, host.id, { state: 'running' }));
  const index = buildIndex(byId([pool, host, ...vms]), 1);
  return index.children.get(host.id)!.map((id) => index.nodes.get(id)!.name);
}

describe('natural order', () => {
  it('orders digit runs by value (equal values in text order), letters without case, non-ASCII names by the collator', () => {
    expect(orderOf(['vm-10', 'vm-9', 'vm-010', 'vm-0009', 'VM-2', 'vm-1a', 'vm-1'])).toEqual(['vm-1', 'vm-1a', 'VM-2', 'vm-0009', 'vm-9', 'vm-010', 'vm-10']);
    expect(orderOf(['n-123456789012345678', 'n-99999999999999999', 'n-2'])).toEqual(['n-2', 'n-99999999999999999', 'n-123456789012345678']);
    expect(orderOf(['zeta', 'Émile', 'alpha', 'éclair'])).toEqual(['alpha', 'éclair', 'Émile', 'zeta']);
    expect(orderOf(['b', 'a', 'a'])).toEqual(['a', 'a', 'b']);
  });
});

describe('deltas', () => {
  const vms = Array.from({ length: 50 }, (_, i) => node('vm', `v${i}`, `vm-${i}`, host.id, { state: 'running' }));
  const start = () => buildIndex(byId([pool, host, ...vms]), 1);

  it('a state change updates the one node in place: a new index, the same map and layout, no rebuild', () => {
    const before = start();
    const after = applyDeltas(before, [{ serverId: 's', upsert: [{ ...vms[7], state: 'halted' }], remove: [] }]);
    expect(after).not.toBe(before);
    expect(after.version).toBe(before.version + 1);
    expect(after.structure).toBe(before.structure);
    expect(after.nodes).toBe(before.nodes);
    expect(after.children).toBe(before.children);
    expect(after.nodes.get(vms[7].id)!.state).toBe('halted');
    expect(after.nodes.size).toBe(52);
  });

  it('an added, removed or renamed guest is patched into the same map and makes a new layout', () => {
    const before = start();
    const added = applyDeltas(before, [{ serverId: 's', upsert: [node('vm', 'new', 'vm-100', host.id)], remove: [] }]);
    expect(added.nodes).toBe(before.nodes);
    expect(added.children).not.toBe(before.children);
    expect(added.structure).toBe(before.structure + 1);
    expect(added.children.get(host.id)!.at(-1)).toBe('s:vm:new');
    expect(before.children.get(host.id)).not.toContain('s:vm:new');

    const renamed = applyDeltas(added, [{ serverId: 's', upsert: [{ ...vms[0], name: 'vm-999' }], remove: [] }]);
    expect(renamed.children.get(host.id)!.at(-1)).toBe(vms[0].id);
    expect(renamed.lowerNames.get(vms[0].id)).toBe('vm-999');

    const removed = applyDeltas(renamed, [{ serverId: 's', upsert: [], remove: [vms[1].id] }]);
    expect(removed.children.get(host.id)).not.toContain(vms[1].id);
    expect(removed.displayed).toBe(renamed.displayed - 1);
  });

  it('a removal of a node the index does not have changes nothing in the layout', () => {
    const before = start();
    const after = applyDeltas(before, [{ serverId: 's', upsert: [], remove: ['s:vm:gone'] }]);
    expect(after.structure).toBe(before.structure);
  });
});

describe('tree layout', () => {
  it('lower-cases the names when first read, each as the row’s node or server names it', () => {
    const vms = [node('vm', 'a', 'Web-01', host.id), node('vm', 'b', 'DB Ünïcode', host.id), node('template', 't', 'Debian TPL', pool.id)];
    const index = buildIndex(byId([pool, host, ...vms]), 1);
    const order = buildOrder([{ id: 's', name: 'My SERVER' }], index);
    const expected = order.keys.map((key, i) => (order.parent[i] < 0 ? 'my server' : index.nodes.get(key)!.name.toLowerCase()));
    expect(order.names).toEqual(expected);
    expect(order.names).toContain('db ünïcode');
  });

  it('makes the lower-case names in slices while idle, each once, and stops for a layout no longer wanted', async () => {
    const count = NAME_SLICE * 2 + 5;
    let asked = 0;
    const names = new LazyLowerNames(count, (i) => (asked++, `VM-${i}`));
    await names.warm(() => true);
    expect(asked).toBe(count);
    expect(names.all()[count - 1]).toBe(`vm-${count - 1}`);
    expect(asked).toBe(count);
    let stale = 0;
    const dropped = new LazyLowerNames(count, () => (stale++, 'X'));
    let turns = 0;
    await dropped.warm(() => turns++ < 1);
    expect(stale).toBe(NAME_SLICE);
  });

  it('is not laid out again when the saved searches or own labels arrive (the Infrastructure and Objects views use neither)', () => {
    const vms = Array.from({ length: 5 }, (_, i) => node('vm', `v${i}`, `vm-${i}`, host.id));
    const index = buildIndex(byId([pool, host, ...vms]), 1);
    const views = [server('s', 'xenserver')];
    for (const view of ['infrastructure', 'objects'] as const) {
      const order = viewOrder(view, views, index, [], NO_OWN_LABELS);
      expect(viewOrder(view, views, index, [{ id: 'q', name: 'mine', query: 'vm' }], { tags: {}, folders: {} })).toBe(order);
    }
    const tags = viewOrder('tags', views, index, [], NO_OWN_LABELS);
    expect(viewOrder('tags', views, index, [], { ...NO_OWN_LABELS })).not.toBe(tags);
  });

  it('lays out rows under a guest where a platform puts some there (the guest rows are placed without a children lookup otherwise)', () => {
    const vmA = node('vm', 'a', 'vm-a', host.id);
    const inner = node('container', 'c', 'inner', vmA.id);
    const vmB = node('vm', 'b', 'vm-b', host.id);
    const order = buildOrder(servers, buildIndex(byId([pool, host, vmA, inner, vmB]), 1));
    expect(order.keys).toEqual([serverKey('s'), pool.id, host.id, vmA.id, inner.id, vmB.id]);
    expect(Array.from(order.depth)).toEqual([0, 1, 2, 3, 4, 3]);
    expect(Array.from(order.parent)).toEqual([-1, 0, 1, 2, 3, 2]);
    expect(Array.from(order.end)).toEqual([6, 6, 6, 5, 5, 6]);
    const flat = buildOrder(servers, buildIndex(byId([pool, host, vmA, vmB]), 1));
    expect(flat.keys).toEqual([serverKey('s'), pool.id, host.id, vmA.id, vmB.id]);
    expect(Array.from(flat.end)).toEqual([5, 5, 5, 4, 5]);
    expect(Array.from(flat.parent)).toEqual([-1, 0, 1, 2, 2]);
  });

  it('lays the loading inventory’s next index out at once, where a live change would wait for the pace', () => {
    // the clock stands still: every call is within the pace
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => 1_000);
    const views = [server('s', 'xenserver')];
    const vms = Array.from({ length: 5 }, (_, i) => node('vm', `v${i}`, `vm-${i}`, host.id));
    const first = buildIndex(byId([pool, host, ...vms]), 1);
    const order = viewOrder('infrastructure', views, first, [], NO_OWN_LABELS);
    const moved = applyDeltas(first, [{ serverId: 's', upsert: [node('vm', 'n1', 'vm-new-1', host.id)], remove: [] }]);
    expect(moved.nodes).toBe(first.nodes);
    // a successor within the pace: the last layout stays
    expect(viewOrder('infrastructure', views, moved, [], NO_OWN_LABELS)).toBe(order);
    layOutNextAtOnce();
    const page = applyDeltas(moved, [{ serverId: 's', upsert: [node('vm', 'n2', 'vm-new-2', host.id)], remove: [] }]);
    const shown = viewOrder('infrastructure', views, page, [], NO_OWN_LABELS);
    expect(shown).not.toBe(order);
    expect(shown.keys).toContain('s:vm:n2');
    clock.mockRestore();
  });

  it('maps every key to its position when first asked', () => {
    const vms = Array.from({ length: 30 }, (_, i) => node('vm', `v${i}`, `vm-${i}`, host.id));
    const order = buildOrder(servers, buildIndex(byId([pool, host, ...vms]), 1));
    expect(order.keys.length).toBe(1 + 2 + 30);
    order.keys.forEach((key, i) => expect(order.positionOf.get(key)).toBe(i));
    expect(order.positionOf.get(serverKey('s'))).toBe(0);
    expect(order.positionOf.get('s:vm:nope')).toBeUndefined();
  });
});

describe('filter over a large tree', () => {
  const vms = Array.from({ length: 2_000 }, (_, i) => node('vm', `v${i}`, `vm-${String(i).padStart(5, '0')}`, host.id));
  const templates = [node('template', 't1', 'vm-00010 template', pool.id)];
  const order = buildOrder(servers, buildIndex(byId([pool, host, ...vms, ...templates]), 1));
  const matchedNames = (marks: Uint8Array | null) => (marks ? order.keys.filter((_, i) => marks[i] === 2) : null);

  it('gives the same rows while typing, erasing and changing words as a search from scratch', () => {
    const steps = ['v', 'vm', 'vm-0', 'vm-00', 'vm-001', 'vm-0019', 'vm-001', 'vm-00', 'vm-0', '', 'vm-001 9', 'vm-001 99', 'vm-00 99', '1', '10', '10 template'];
    for (const showTemplates of [false, true]) {
      for (const text of steps) {
        const fast = cachedMarks(order, text, noSubjects, showTemplates);
        const plain = matchMarks(order, text, noSubjects, showTemplates);
        expect(matchedNames(fast), `"${text}" (templates ${showTemplates})`).toEqual(matchedNames(plain));
        expect(fast === null ? null : Array.from(fast), `"${text}" ancestors`).toEqual(plain === null ? null : Array.from(plain));
      }
    }
    expect(matchedNames(cachedMarks(order, 'vm-0019', noSubjects, false))).toEqual(Array.from({ length: 10 }, (_, i) => `s:vm:v${190 + i}`));
  });

  it('keeps every row of a layout and each search’s rows: the same rows as a pass over the tree, without one when asked again', () => {
    const plain = (collapsed: Set<string>, filter: string, showTemplates: boolean) => Array.from(visibleRows(order, collapsed, filter, showTemplates).positions);
    for (const showTemplates of [false, true, false]) {
      const all = rowsFor(order, new Set(), null, showTemplates);
      expect(Array.from(all.positions)).toEqual(plain(new Set(), '', showTemplates));
      expect(rowsFor(order, new Set(), null, showTemplates)).toBe(all);
      const folded = rowsFor(order, new Set([host.id]), null, showTemplates);
      expect(Array.from(folded.positions)).toEqual(plain(new Set([host.id]), '', showTemplates));
      const marks = cachedMarks(order, 'vm-001', noSubjects, showTemplates);
      const found = rowsFor(order, new Set(), marks, showTemplates);
      expect(Array.from(found.positions)).toEqual(plain(new Set(), 'vm-001', showTemplates));
      expect(rowsFor(order, new Set(), marks, showTemplates)).toBe(found);
    }
  });

  it('returns the same marks for a search typed again (erasing goes back through them)', () => {
    const first = cachedMarks(order, 'vm-017', noSubjects, false);
    cachedMarks(order, 'vm-0172', noSubjects, false);
    expect(cachedMarks(order, 'vm-017', noSubjects, false)).toBe(first);
  });

  it('does not keep a query on properties past a change of the subjects', () => {
    const running: SubjectIndex = { get: (key) => (key.startsWith('s:vm:') ? { type: 'vm', name: key, state: 'running', tags: [], ips: [] } : undefined) };
    const halted: SubjectIndex = { get: (key) => (key.startsWith('s:vm:') ? { type: 'vm', name: key, state: 'halted', tags: [], ips: [] } : undefined) };
    expect(matchedNames(cachedMarks(order, 'state:running', running, false))!.length).toBe(2_000);
    expect(matchedNames(cachedMarks(order, 'state:running', halted, false))!.length).toBe(0);
  });
});
