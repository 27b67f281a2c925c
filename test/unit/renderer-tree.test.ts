// The renderer's tree derivation: XenCenter's Infrastructure layout (standalone pools shown
// as their host, control domains and snapshots out of the tree, templates on request),
// search keeping ancestors, collapsing, and state-only deltas not re-laying the tree.
import { describe, expect, it } from 'vitest';
import type { InventoryNode, NodeKind, PowerState } from '../../shared/model';
import { applyDeltas, buildIndex, emptyIndex, serverKey } from '../../renderer/src/tree/inventory-index';
import { buildOrder, keysBetween, rowAt, visibleRows } from '../../renderer/src/tree/flatten';
import { snapshotRows } from '../../renderer/src/tree/snapshot-tree';

function node(serverId: string, kind: NodeKind, ref: string, name: string, parentId: string | null, extra: Partial<InventoryNode> = {}): InventoryNode {
  return { id: `${serverId}:${kind}:${ref}`, serverId, kind, name, parentId, nativeRef: ref, allowed: [], props: {}, ...extra };
}
const vm = (s: string, ref: string, name: string, parent: string, state: PowerState = 'running', extra: Partial<InventoryNode> = {}) =>
  node(s, 'vm', ref, name, parent, { state, ...extra });

const pool = node('a', 'pool', 'p', 'Pool A', null);
const h1 = node('a', 'host', 'h1', 'host-1', pool.id);
const h2 = node('a', 'host', 'h2', 'host-10', pool.id);
const h3 = node('a', 'host', 'h3', 'host-2', pool.id);
const nodesA = [
  pool,
  h1,
  h2,
  h3,
  vm('a', 'dom0', 'Control domain on host-1', h1.id, 'running', { controlDomain: true }),
  vm('a', 'v1', 'web-1', h1.id),
  vm('a', 'v2', 'db-1', h3.id),
  vm('a', 'v3', 'web-2', pool.id, 'halted'),
  node('a', 'template', 't1', 'Debian template', pool.id),
  node('a', 'snapshot', 's1', 'before upgrade', 'a:vm:v1', { snapshot: { ofId: 'a:vm:v1', parentSnapshotId: null, time: '2024-01-01T00:00:00Z', withMemory: false, description: '' } }),
];
const standalonePool = node('b', 'pool', 'p', 'solo', null, { props: { standalone: true } });
const soloHost = node('b', 'host', 'h', 'solo', standalonePool.id);
const nodesB = [standalonePool, soloHost, vm('b', 'v1', 'app', soloHost.id), vm('b', 'v2', 'backup', standalonePool.id, 'halted')];
const servers = [
  { id: 'a', name: 'Server A' },
  { id: 'b', name: 'Server B' },
];

function paths(filter = '', showTemplates = false, collapsed = new Set<string>()) {
  const index = buildIndex(new Map([...nodesA, ...nodesB].map((n) => [n.id, n])), 1);
  const order = buildOrder(servers, index);
  const rows = visibleRows(order, collapsed, filter, showTemplates);
  const names = new Map<string, string>([...servers.map((s) => [serverKey(s.id), s.name] as const), ...[...index.nodes.values()].map((n) => [n.id, n.name] as const)]);
  return Array.from(rows.positions, (p) => {
    const chain: string[] = [];
    for (let q = p; q >= 0; q = order.parent[q]) chain.unshift(names.get(order.keys[q])!);
    return chain.join('/');
  });
}

describe('infrastructure tree', () => {
  it('lays out server → pool → hosts → VMs, halted VMs under the pool, in natural order', () => {
    expect(paths()).toEqual([
      'Server A',
      'Server A/Pool A',
      'Server A/Pool A/host-1',
      'Server A/Pool A/host-1/web-1',
      'Server A/Pool A/host-2',
      'Server A/Pool A/host-2/db-1',
      'Server A/Pool A/host-10',
      'Server A/Pool A/web-2',
      'Server B',
      'Server B/solo',
      'Server B/solo/app',
      'Server B/solo/backup',
    ]);
  });

  it('shows templates only when asked', () => {
    expect(paths('', true)).toContain('Server A/Pool A/Debian template');
    expect(paths('template', false)).toEqual([]);
  });

  it('filters by name across servers, keeping the ancestors of matches', () => {
    expect(paths('WEB')).toEqual(['Server A', 'Server A/Pool A', 'Server A/Pool A/host-1', 'Server A/Pool A/host-1/web-1', 'Server A/Pool A/web-2']);
    expect(paths('back')).toEqual(['Server B', 'Server B/solo', 'Server B/solo/backup']);
    expect(paths('nothing like it')).toEqual([]);
  });

  it('hides the subtree of a collapsed node, and a filter shows through collapsing', () => {
    const collapsed = new Set([pool.id]);
    expect(paths('', false, collapsed).filter((p) => p.startsWith('Server A'))).toEqual(['Server A', 'Server A/Pool A']);
    expect(paths('db', false, collapsed)).toContain('Server A/Pool A/host-2/db-1');
  });

  it('a power-state delta keeps the tree layout; a move re-lays it', () => {
    let index = applyDeltas(emptyIndex(), [{ serverId: 'a', reset: true, upsert: nodesA, remove: [] }]);
    const shape = index.structure;
    index = applyDeltas(index, [{ serverId: 'a', upsert: [vm('a', 'v1', 'web-1', h1.id, 'paused')], remove: [] }]);
    expect(index.structure).toBe(shape);
    expect(index.nodes.get('a:vm:v1')!.state).toBe('paused');
    index = applyDeltas(index, [{ serverId: 'a', upsert: [vm('a', 'v1', 'web-1', pool.id, 'halted')], remove: [] }]);
    expect(index.structure).not.toBe(shape);
    expect(index.children.get(pool.id)).toContain('a:vm:v1');
    index = applyDeltas(index, [{ serverId: 'a', reset: true, upsert: [], remove: [] }]);
    expect(index.nodes.size).toBe(0);
  });

  it('gives rows with expansion state and Shift-ranges in visible order', () => {
    const index = buildIndex(new Map(nodesA.map((n) => [n.id, n])), 1);
    const order = buildOrder([servers[0]], index);
    const rows = visibleRows(order, new Set([h1.id]), '', false);
    const ctx = { index, servers: new Map(), collapsed: new Set([h1.id]), showTemplates: false };
    const host1 = rowAt(order, rows, 2, ctx);
    expect(host1).toMatchObject({ key: h1.id, depth: 2, hasChildren: true, expanded: false, parentKey: pool.id });
    expect(rowAt(order, rows, 5, ctx)).toMatchObject({ key: h2.id, hasChildren: false });
    expect(keysBetween(order, rows, 3, 1)).toEqual([pool.id, h1.id, h3.id]);
  });
});

describe('snapshot tree', () => {
  const s = (ref: string, parent: string | null, time: string) =>
    node('a', 'snapshot', ref, ref, 'a:vm:v1', { snapshot: { ofId: 'a:vm:v1', parentSnapshotId: parent, time, withMemory: false, description: '' } });
  it('nests by parent snapshot and puts "you are here" after the current one', () => {
    const snaps = [s('b', 'a:snapshot:a', '2024-01-02'), s('a', null, '2024-01-01'), s('c', 'a:snapshot:a', '2024-01-03')];
    const rows = snapshotRows(vm('a', 'v1', 'web-1', h1.id, 'running', { currentSnapshotId: 'a:snapshot:b' }), snaps);
    expect(rows.map((r) => (r.type === 'here' ? `here@${r.depth}` : `${r.node.name}@${r.depth}`))).toEqual(['a@0', 'b@1', 'here@2', 'c@1']);
    const none = snapshotRows(vm('a', 'v1', 'web-1', h1.id, 'running', { currentSnapshotId: null }), []);
    expect(none).toEqual([{ type: 'here', depth: 0 }]);
  });
});
