import { describe, expect, it, vi } from 'vitest';
import type { InventoryDelta, InventoryNode } from '../../shared/model';
import { InventoryStore, serverNodeId } from '../../electron/core/inventory/inventory-store';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function node(serverId: string, kind: InventoryNode['kind'], ref: string, parentId: string | null, extra: Partial<InventoryNode> = {}): InventoryNode {
  return { id: `${serverId}:${kind}:${ref}`, serverId, kind, name: ref, parentId, nativeRef: ref, allowed: [], props: {}, ...extra };
}

function setup(batchMs = 20) {
  const deltas: InventoryDelta[] = [];
  const store = new InventoryStore({ emit: (d) => deltas.push(d), batchMs });
  store.setServer('s1', { name: 'Pool A', type: 'xenserver', host: 'xen-a', port: 443, connection: 'connected' });
  store.flush();
  deltas.length = 0;
  return { store, deltas };
}

/** What a renderer that applies the deltas would hold. */
function applyAll(deltas: InventoryDelta[], into = new Map<string, InventoryNode>()): Map<string, InventoryNode> {
  for (const d of deltas) {
    if (d.reset) for (const [id, n] of into) if (n.serverId === d.serverId) into.delete(id);
    for (const id of d.remove) into.delete(id);
    for (const n of d.upsert) into.set(n.id, n);
  }
  return into;
}

describe('InventoryStore', () => {
  it('adds the server node and hangs the provider roots (pools) under it', () => {
    const { store } = setup();
    const pool = node('s1', 'pool', 'P', null);
    const host = node('s1', 'host', 'H', pool.id);
    store.apply({ serverId: 's1', reset: true, upsert: [pool, host], remove: [] });
    const server = store.get(serverNodeId('s1'))!;
    expect(server).toMatchObject({ kind: 'server', parentId: null, name: 'Pool A', props: { connection: 'connected', type: 'xenserver' } });
    expect(store.get(pool.id)?.parentId).toBe(server.id);
    expect(store.get(host.id)?.parentId).toBe(pool.id);
  });

  it('reset replaces the server’s nodes and tells the renderer what to remove', async () => {
    const { store, deltas } = setup();
    const pool = node('s1', 'pool', 'P', null);
    const a = node('s1', 'vm', 'A', pool.id);
    const b = node('s1', 'vm', 'B', pool.id);
    store.apply({ serverId: 's1', reset: true, upsert: [pool, a, b], remove: [] });
    store.flush();
    const c = node('s1', 'vm', 'C', pool.id);
    store.apply({ serverId: 's1', reset: true, upsert: [pool, a, c], remove: [] });
    store.flush();
    const last = deltas.at(-1)!;
    expect(last.reset).toBe(true);
    expect(last.remove).toEqual([b.id]);
    expect(last.upsert.map((n) => n.id).sort()).toEqual([serverNodeId('s1'), pool.id, a.id, c.id].sort());
    expect(store.idsOf('s1').sort()).toEqual([serverNodeId('s1'), pool.id, a.id, c.id].sort());
  });

  it('applies upserts and removes, and ignores nodes of other servers or unknown ids', () => {
    const { store } = setup();
    const pool = node('s1', 'pool', 'P', null);
    const vm = node('s1', 'vm', 'A', pool.id, { state: 'halted' });
    store.apply({ serverId: 's1', reset: true, upsert: [pool, vm], remove: [] });
    store.apply({ serverId: 's1', upsert: [{ ...vm, state: 'running' }], remove: [] });
    expect(store.get(vm.id)?.state).toBe('running');
    store.apply({ serverId: 's1', upsert: [node('s2', 'vm', 'X', null)], remove: ['s1:vm:nope', serverNodeId('s1')] });
    expect(store.get('s2:vm:X')).toBeUndefined();
    expect(store.get(serverNodeId('s1'))).toBeDefined();
    store.apply({ serverId: 's1', upsert: [], remove: [vm.id] });
    expect(store.get(vm.id)).toBeUndefined();
  });

  it('coalesces a burst of deltas into one event per server per window, keeping the final state', async () => {
    const { store, deltas } = setup(20);
    store.setServer('s2', { name: 'PVE', type: 'proxmox', host: 'pve', port: 8006, connection: 'connected' });
    const pool = node('s1', 'pool', 'P', null);
    const vms = Array.from({ length: 10_000 }, (_, i) => node('s1', 'vm', `vm${i}`, pool.id, { state: 'halted' }));
    store.apply({ serverId: 's1', reset: true, upsert: [pool, ...vms], remove: [] });
    for (let i = 0; i < 5000; i++) store.apply({ serverId: 's1', upsert: [{ ...vms[i], state: 'running' }], remove: [] });
    store.apply({ serverId: 's1', upsert: [], remove: [vms[9999].id] });
    store.apply({ serverId: 's2', upsert: [node('s2', 'host', 'n1', null)], remove: [] });
    expect(deltas).toHaveLength(0);
    // the large reset is applied in slices, the deltas after it in their turn
    await vi.waitFor(() => expect(deltas.map((d) => d.serverId).sort()).toEqual(['s1', 's2']), { timeout: 20_000, interval: 10 });
    await sleep(60);
    expect(deltas).toHaveLength(2);
    const s1 = deltas.find((d) => d.serverId === 's1')!;
    expect(s1.reset).toBe(true);
    expect(s1.upsert).toHaveLength(1 + 1 + 9999);
    expect(s1.remove).toEqual([vms[9999].id]);

    // a renderer applying the events ends with exactly the store's content
    const view = applyAll(deltas, new Map([[serverNodeId('s1'), store.get(serverNodeId('s1'))!]]));
    expect(view.size).toBe(store.all().length);
    expect(view.get(vms[0].id)?.state).toBe('running');
    expect(view.get(vms[5000].id)?.state).toBe('halted');
  });

  it('applies a large delta in slices: timers run meanwhile, reads see it whole, the renderer gets it once', async () => {
    const { store, deltas } = setup(5);
    const pool = node('s1', 'pool', 'P', null);
    const vms = Array.from({ length: 100_000 }, (_, i) => node('s1', 'vm', `vm${i}`, pool.id));
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    store.apply({ serverId: 's1', reset: true, upsert: [pool, ...vms], remove: [] });
    store.apply({ serverId: 's1', upsert: [{ ...vms[7]!, state: 'running' }], remove: [] });
    // nothing applied yet: this turn of the loop is not held
    expect(ticks).toBe(0);
    try {
      await vi.waitFor(() => expect(deltas).toHaveLength(1), { timeout: 60_000, interval: 5 });
    } finally {
      clearInterval(ticker);
    }
    expect(ticks, 'timers ran while it was applied').toBeGreaterThan(1);
    expect(deltas[0]!.reset).toBe(true);
    expect(deltas[0]!.upsert).toHaveLength(1 + 1 + 100_000);
    expect(store.get(vms[7]!.id)?.state).toBe('running');

    // a read while a large delta is being applied finishes it first
    const more = Array.from({ length: 50_000 }, (_, i) => node('s1', 'vm', `more${i}`, pool.id));
    store.apply({ serverId: 's1', upsert: more, remove: [vms[0]!.id] });
    expect(store.idsOf('s1')).toHaveLength(1 + 1 + 100_000 + 50_000 - 1);
    expect(store.get(vms[0]!.id)).toBeUndefined();
    await vi.waitFor(() => expect(deltas).toHaveLength(2), { timeout: 60_000, interval: 5 });
    const view = applyAll(deltas, new Map([[serverNodeId('s1'), store.get(serverNodeId('s1'))!]]));
    expect(view.size).toBe(store.all().length);
  });

  it('a node added and removed within one window never reaches the renderer as an upsert', async () => {
    const { store, deltas } = setup(20);
    const vm = node('s1', 'vm', 'tmp', null);
    store.apply({ serverId: 's1', upsert: [vm], remove: [] });
    store.apply({ serverId: 's1', upsert: [], remove: [vm.id] });
    await sleep(50);
    expect(deltas).toEqual([{ serverId: 's1', upsert: [], remove: [vm.id] }]);
  });

  it('clearServer keeps only the server node; removeServer drops everything', () => {
    const { store, deltas } = setup();
    const pool = node('s1', 'pool', 'P', null);
    store.apply({ serverId: 's1', reset: true, upsert: [pool, node('s1', 'vm', 'A', pool.id)], remove: [] });
    store.setServer('s1', { name: 'Pool A', type: 'xenserver', host: 'xen-a', port: 443, connection: 'error', error: { code: 'CONNECTION_FAILED', message: 'gone' } });
    store.clearServer('s1');
    expect(store.idsOf('s1')).toEqual([serverNodeId('s1')]);
    expect(store.get(serverNodeId('s1'))?.props).toMatchObject({ connection: 'error', error: 'gone', errorCode: 'CONNECTION_FAILED' });
    store.flush();
    expect(deltas.at(-1)).toMatchObject({ reset: true, upsert: [expect.objectContaining({ id: serverNodeId('s1') })] });
    store.removeServer('s1');
    store.flush();
    expect(store.all()).toEqual([]);
    expect(deltas.at(-1)).toEqual({ serverId: 's1', reset: true, upsert: [], remove: [serverNodeId('s1')] });
  });
});
