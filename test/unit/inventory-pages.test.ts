// The inventory in pages (issue 17): the core's `inventory:page` serves the inventory as it
// was at the first page, each node once, and forgets it after the last page or when idle;
// the window's loader takes every page and keeps the changes that arrived meanwhile, so
// applying them on top gives the inventory as the core has it now.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventMap, EventName, PolyvisorClient } from '../../shared/contract';
import type { InventoryDelta, InventoryNode } from '../../shared/model';
import { isPolyvisorError } from '../../shared/errors';
import { CHANNEL_ARGS } from '../../shared/contract-schemas';
import { InventoryStore } from '../../electron/core/inventory/inventory-store';
import { InventoryPages } from '../../electron/core/inventory/inventory-pages';
import { loadInventory } from '../../renderer/src/store/inventory-load';
import { applyDeltas, buildIndex, type InventoryIndex } from '../../renderer/src/tree/inventory-index';
import { PagedIndex } from '../../renderer/src/store/paged-index';
import { yieldEvery } from '../../renderer/src/store/yield-to-browser';

const vm = (i: number, state: 'running' | 'halted' = 'running'): InventoryNode => ({ id: `s:vm:${i}`, serverId: 's', kind: 'vm', name: `vm-${i}`, parentId: null, nativeRef: String(i), allowed: [], props: {}, state });

function storeWith(count: number, emit: (d: InventoryDelta) => void = () => undefined) {
  const store = new InventoryStore({ emit, batchMs: 0 });
  store.apply({ serverId: 's', reset: true, upsert: Array.from({ length: count }, (_, i) => vm(i)), remove: [] });
  store.flush();
  return store;
}

afterEach(() => vi.useRealTimers());

describe('inventory:page in the core', () => {
  it('serves the inventory of the first page, each node once, while the inventory changes', () => {
    const store = storeWith(23);
    const pages = new InventoryPages(() => store.all());
    const first = pages.page(null, 0, 10);
    store.apply({ serverId: 's', upsert: [vm(100)], remove: ['s:vm:3', 's:vm:15'] });
    const second = pages.page(first.snapshot, 10, 10);
    const third = pages.page(first.snapshot, 20, 10);
    const ids = [...first.nodes, ...second.nodes, ...third.nodes].map((n) => n.id);
    expect(first.total).toBe(23);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['s:vm:3', 's:vm:15']));
    expect(ids).not.toContain('s:vm:100');
    expect(ids.length).toBe(first.total);
    // served completely: gone
    expect(() => pages.page(first.snapshot, 0, 10)).toThrow(expect.objectContaining({ info: expect.objectContaining({ code: 'NOT_FOUND' }) }));
  });

  it('forgets an inventory nobody pages through for a minute', () => {
    vi.useFakeTimers();
    const pages = new InventoryPages(() => storeWith(30).all(), 60_000);
    const first = pages.page(null, 0, 10);
    vi.advanceTimersByTime(59_000);
    pages.page(first.snapshot, 10, 10);
    vi.advanceTimersByTime(59_000);
    expect(pages.page(first.snapshot, 20, 5).nodes.length).toBe(5);
    vi.advanceTimersByTime(60_001);
    let error: unknown;
    try {
      pages.page(first.snapshot, 25, 5);
    } catch (e) {
      error = e;
    }
    expect(isPolyvisorError(error, 'NOT_FOUND')).toBe(true);
  });

  it('validates its arguments like every channel', () => {
    const schema = CHANNEL_ARGS['inventory:page'];
    expect(schema.safeParse([null, 0, 5_000]).success).toBe(true);
    expect(schema.safeParse(['abc', 5_000, 5_000]).success).toBe(true);
    expect(schema.safeParse([null, -1, 5_000]).success).toBe(false);
    expect(schema.safeParse([null, 0, 0]).success).toBe(false);
    expect(schema.safeParse([null, 0, 1_000_000]).success).toBe(false);
  });
});

/** A client over a core's inventory store and pages, answering asynchronously as the IPC and WebSocket clients do. */
function clientOver(store: InventoryStore, pages: InventoryPages, listeners: Set<(d: EventMap['inventory:delta']) => void>, onPage: (n: number) => void): PolyvisorClient {
  let served = 0;
  return {
    invoke: (async (channel: string, ...args: unknown[]) => {
      if (channel !== 'inventory:page') throw new Error(`unexpected ${channel}`);
      await Promise.resolve();
      const answer = pages.page(...(args as [string | null, number, number]));
      onPage(++served);
      return structuredClone(answer);
    }) as PolyvisorClient['invoke'],
    on: (<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => {
      if (event !== 'inventory:delta') return () => undefined;
      const l = listener as (d: EventMap['inventory:delta']) => void;
      listeners.add(l);
      return () => listeners.delete(l);
    }) as PolyvisorClient['on'],
  };
}

describe('the window loading the inventory in pages', () => {
  it('gets every node, and with the changes sent meanwhile applied, the core’s inventory of now', async () => {
    const listeners = new Set<(d: EventMap['inventory:delta']) => void>();
    const store = storeWith(1_234, (d) => listeners.forEach((l) => l(d)));
    const pages = new InventoryPages(() => store.all());
    const client = clientOver(store, pages, listeners, (served) => {
      // the core's inventory changes after the first page, while the others are on their way
      if (served === 2) {
        store.apply({ serverId: 's', upsert: [vm(5, 'halted'), vm(5_000)], remove: ['s:vm:7'] });
        store.flush();
      }
    });
    const loaded = await loadInventory(client, 100);
    expect(loaded.nodes.size).toBe(1_234);
    expect(loaded.nodes.get('s:vm:5')!.state).toBe('running');
    expect(loaded.since.length).toBeGreaterThan(0);
    const index = applyDeltas(buildIndex(loaded.nodes, 1), loaded.since);
    expect([...index.nodes.keys()].sort()).toEqual(store.all().map((n) => n.id).sort());
    expect(index.nodes.get('s:vm:5')!.state).toBe('halted');
    expect(index.nodes.has('s:vm:7')).toBe(false);
    expect(listeners.size).toBe(0);
  });
});

describe('the order of the pages', () => {
  const host = (i: number): InventoryNode => ({ id: `s:host:${i}`, serverId: 's', kind: 'host', name: `host-${i}`, parentId: 's:pool:p', nativeRef: `h${i}`, allowed: [], props: {} });
  const pool: InventoryNode = { id: 's:pool:p', serverId: 's', kind: 'pool', name: 'Pool', parentId: null, nativeRef: 'p', allowed: [], props: {} };
  const guest = (i: number): InventoryNode => ({ ...vm(i), parentId: `s:host:${i % 3}` });

  it('serves the nodes guests hang under first, so every later page is patched into the first page’s index', async () => {
    // the provider lists its guests before its hosts and pool
    const all = [...Array.from({ length: 95 }, (_, i) => guest(i)), host(0), host(1), host(2), pool];
    const pages = new InventoryPages(() => all);
    const first = pages.page(null, 0, 10);
    expect(first.nodes.slice(0, 4).map((n) => n.kind)).toEqual(['host', 'host', 'host', 'pool']);
    const shown: InventoryIndex[] = [];
    const paged = new PagedIndex((index) => shown.push(index), 1, () => 0);
    await paged.add(first.nodes);
    for (let offset = 10; offset < first.total; offset += 10) await paged.add(pages.page(first.snapshot, offset, 10).nodes);
    const done = paged.finish();
    const whole = buildIndex(new Map(all.map((n) => [n.id, n])), 1);
    // patched, never rebuilt: a rebuild makes new pool → hosts lists
    expect(done.hostsOfPool).toBe(shown[0]!.hostsOfPool);
    expect(done.displayed).toBe(whole.displayed);
    for (const h of [0, 1, 2]) expect(done.children.get(`s:host:${h}`)).toEqual(whole.children.get(`s:host:${h}`));
  });
});

describe('turns given to the browser while a page is patched in', () => {
  it('yields only once the budget of work went by since the last turn, the first slice at once', async () => {
    let clock = 0;
    let turns = 0;
    const between = yieldEvery(8, () => clock, async () => void turns++);
    await between();
    expect(turns).toBe(0);
    clock = 5;
    await between();
    expect(turns).toBe(0);
    clock = 9;
    await between();
    expect(turns).toBe(1);
    clock = 12;
    await between();
    expect(turns).toBe(1);
    clock = 17;
    await between();
    expect(turns).toBe(2);
  });
});
