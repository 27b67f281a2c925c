// Shape changes patched into the index (issue 17): whatever sequence of guests and
// snapshots added, removed, renamed, moved between hosts or made control domains, and
// whatever order the inventory's pages bring hosts and guests in, the patched index is the
// index built from scratch from the same nodes.
import { describe, expect, it } from 'vitest';
import type { InventoryDelta, InventoryNode, NodeKind } from '../../shared/model';
import { applyDeltas, buildIndex, type InventoryIndex } from '../../renderer/src/tree/inventory-index';
import { patchIndex } from '../../renderer/src/tree/index-patch';
import { PagedIndex } from '../../renderer/src/store/paged-index';

function node(kind: NodeKind, ref: string, name: string, parentId: string | null, extra: Partial<InventoryNode> = {}): InventoryNode {
  return { id: `s:${kind}:${ref}`, serverId: 's', kind, name, parentId, nativeRef: ref, allowed: [], props: {}, ...extra };
}
const server = node('server', 'srv', 'Server', null);
const pool = node('pool', 'p', 'Pool', server.id);
const hosts = [0, 1, 2].map((i) => node('host', `h${i}`, `host-${i}`, pool.id));
// a standalone host's pool: its guests hang under the host
const lonePool = node('pool', 'lp', 'Lone', server.id, { props: { standalone: true } });
const loneHost = node('host', 'lh', 'lone-host', lonePool.id);
const parents = [...hosts.map((h) => h.id), lonePool.id, loneHost.id, pool.id];

/** A small deterministic random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the tree reads of an index, snapshot lists compared as sets. */
function shapeOf(index: InventoryIndex) {
  return {
    children: [...index.children.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
    displayed: index.displayed,
    snapshotsOf: [...index.snapshotsOf.entries()].map(([of, ids]) => [of, [...ids].sort()] as const).sort(([a], [b]) => (a < b ? -1 : 1)),
    nodes: [...index.nodes.keys()].sort(),
  };
}

describe('a shape change patched into the index', () => {
  it('equals the index built from scratch after random adds, removes, renames, moves and snapshots', () => {
    const next = random(17);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
    const names = ['vm-1', 'vm-2', 'vm-10', 'VM-2', 'web', 'Émile', 'db-03', 'db-3'];
    let serial = 0;
    const guest = (ref = `g${serial++}`): InventoryNode => node(pick(['vm', 'vm', 'template', 'container'] as const), ref, pick(names), pick(parents), { controlDomain: next() < 0.05 });
    const base = [server, pool, ...hosts, lonePool, loneHost, ...Array.from({ length: 40 }, () => guest())];
    let index = buildIndex(new Map(base.map((n) => [n.id, n])), 1);
    let patched = 0;
    for (let round = 0; round < 300; round++) {
      const live = [...index.nodes.values()].filter((n) => n.kind !== 'server' && n.kind !== 'pool' && n.kind !== 'host');
      const delta: InventoryDelta = { serverId: 's', upsert: [], remove: [] };
      for (let op = 0, ops = 1 + Math.floor(next() * 4); op < ops; op++) {
        const r = next();
        const some = live.length ? pick(live) : null;
        if (r < 0.3 || !some) delta.upsert.push(guest());
        else if (r < 0.45) delta.remove.push(some.id);
        else if (r < 0.6) delta.upsert.push({ ...some, name: pick(names) });
        else if (r < 0.75) delta.upsert.push({ ...some, parentId: pick(parents) });
        else if (r < 0.85) delta.upsert.push(node('snapshot', `sn${serial++}`, 'snap', some.id, { snapshot: { ofId: some.id } as InventoryNode['snapshot'] }));
        else delta.upsert.push({ ...some, state: next() < 0.5 ? 'running' : 'halted' });
      }
      const before = index;
      index = applyDeltas(index, [delta]);
      if (index.structure !== before.structure && index.nodes === before.nodes) patched++;
      const scratch = buildIndex(new Map(index.nodes), 1);
      expect(shapeOf(index), `round ${round}`).toEqual(shapeOf(scratch));
    }
    // the patch, not the rebuild, did the work
    expect(patched).toBeGreaterThan(200);
  });

  it('leaves a host, a pool or a server reset to the rebuild', () => {
    const index = buildIndex(new Map([server, pool, ...hosts].map((n) => [n.id, n])), 1);
    expect(patchIndex(index, [{ serverId: 's', upsert: [node('host', 'h9', 'host-9', pool.id)], remove: [] }])).toBeNull();
    expect(patchIndex(index, [{ serverId: 's', upsert: [], remove: [hosts[0].id] }])).toBeNull();
    expect(patchIndex(index, [{ serverId: 's', reset: true, upsert: [], remove: [] }])).toBeNull();
    expect(patchIndex(index, [{ serverId: 's', upsert: [node('vm', 'x', 'x', hosts[0].id)], remove: [] }])).not.toBeNull();
  });
});

describe('the index built from pages', () => {
  it('shows the first page at once and ends as the index of all nodes, whatever page the hosts come in', async () => {
    const vms = Array.from({ length: 5_000 }, (_, i) => node('vm', `v${i}`, `vm-${i}`, pick3(i), { snapshot: undefined }));
    function pick3(i: number) {
      return i % 7 === 0 ? loneHost.id : hosts[i % 3].id;
    }
    const snapshots = vms.slice(0, 50).map((vm, i) => node('snapshot', `s${i}`, 'snap', vm.id, { snapshot: { ofId: vm.id } as InventoryNode['snapshot'] }));
    const all = [...vms.slice(0, 1_500), server, pool, ...vms.slice(1_500, 3_000), ...hosts, ...snapshots, lonePool, loneHost, ...vms.slice(3_000)];
    const shown: InventoryIndex[] = [];
    let clock = 0;
    const paged = new PagedIndex((index) => shown.push(index), 1, () => (clock += 400));
    for (let from = 0; from < all.length; from += 1_200) await paged.add(all.slice(from, from + 1_200));
    const final = paged.finish();
    expect(shown[0].nodes.size).toBeGreaterThan(0);
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.at(-1)).toBe(final);
    expect(shapeOf(final)).toEqual(shapeOf(buildIndex(new Map(all.map((n) => [n.id, n])), 1)));
  });

  it('shows an empty index when the inventory is empty', () => {
    const shown: InventoryIndex[] = [];
    const final = new PagedIndex((index) => shown.push(index), 3).finish();
    expect(shown).toEqual([final]);
    expect(final.nodes.size).toBe(0);
  });
});
