// Under a stream of guest moves (power changes move VMs between host and pool) the tree's
// layout is rebuilt at most every LAYOUT_PACE_MS; a rebuilt index or another view is laid
// out at once, and a held-back layout tells the tree when it is due.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InventoryNode } from '../../shared/model';
import { NO_OWN_LABELS } from '../../shared/search/subject';
import { applyDeltas, buildIndex } from '../../renderer/src/tree/inventory-index';
import { LAYOUT_PACE_MS, layoutDueIn, viewOrder } from '../../renderer/src/views/view-order';
import { server, vm } from './helpers/renderer-state';

const pool: InventoryNode = { ...vm('x', 'pool'), id: 'x:pool:p', kind: 'pool', nativeRef: 'p', parentId: null };
const host: InventoryNode = { ...vm('x', 'host'), id: 'x:host:h', kind: 'host', nativeRef: 'h', parentId: pool.id };
const guest = (name: string, parentId: string) => ({ ...vm('x', name), parentId });
const servers = [server('x', 'xenserver')];
const searches: never[] = [];

let clock = 10_000;
afterEach(() => vi.restoreAllMocks());
const at = (ms: number) => {
  clock = ms;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
};

function start() {
  at(10_000);
  const nodes = new Map([pool, host, guest('a', host.id), guest('b', pool.id)].map((n) => [n.id, n]));
  const index = buildIndex(nodes, 1);
  const order = viewOrder('infrastructure', servers, index, searches, NO_OWN_LABELS);
  return { index, order };
}

describe('tree layout pace', () => {
  it('holds a guest move back until LAYOUT_PACE_MS after the last layout, then lays it out', () => {
    const { index, order } = start();
    at(10_010);
    const moved = applyDeltas(index, [{ serverId: 'x', upsert: [{ ...index.nodes.get(vm('x', 'a').id)!, parentId: pool.id, state: 'halted' }], remove: [] }]);
    expect(moved.nodes).toBe(index.nodes);
    expect(viewOrder('infrastructure', servers, moved, searches, NO_OWN_LABELS)).toBe(order);
    // the row shows the new state at once: it reads the shared node map
    expect(moved.nodes.get(vm('x', 'a').id)?.state).toBe('halted');
    expect(layoutDueIn()).toBe(LAYOUT_PACE_MS - 10);
    at(10_000 + LAYOUT_PACE_MS);
    const next = viewOrder('infrastructure', servers, moved, searches, NO_OWN_LABELS);
    expect(next).not.toBe(order);
    const parentKey = (o: typeof order) => o.keys[o.parent[o.positionOf.get(vm('x', 'a').id)!]!];
    expect(parentKey(order)).toBe(host.id);
    expect(parentKey(next)).toBe(pool.id);
    expect(layoutDueIn()).toBeNull();
  });

  it('lays out at once a rebuilt index (new node map) and another view', () => {
    const { index, order } = start();
    at(10_001);
    const rebuilt = buildIndex(new Map(index.nodes), 2);
    expect(viewOrder('infrastructure', servers, rebuilt, searches, NO_OWN_LABELS)).not.toBe(order);
    expect(viewOrder('objects', servers, rebuilt, searches, NO_OWN_LABELS)).not.toBe(order);
    expect(layoutDueIn()).toBeNull();
  });
});
