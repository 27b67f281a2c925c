// Issue 19, the tree and the selection: a pool shown once as its connection, type-to-find,
// the platform's guest label (a VMID) from its descriptor, servers added twice, pane sizes
// kept across starts, a multi-selection's counts and a bulk action's per-object outcome.
import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../shared/contract';
import type { InventoryNode, NodeKind } from '../../shared/model';
import i18n from '../../renderer/src/i18n';
import { outcomeOf, outcomeText } from '../../renderer/src/commands/bulk-outcome';
import { clampPane, DEFAULT_PANE_SIZES, PANE_SIZES_KEY, readPaneSizes } from '../../renderer/src/components/pane-sizes';
import { selectionCounts } from '../../renderer/src/components/selection-counts';
import { buildOrder, visibleRows } from '../../renderer/src/tree/flatten';
import { duplicateServers, serverAtAddress } from '../../renderer/src/tree/duplicates';
import { treeLabel } from '../../renderer/src/tree/guest-label';
import { buildIndex, serverKey } from '../../renderer/src/tree/inventory-index';
import { findByPrefix, TypeAhead, TYPE_AHEAD_RESET_MS } from '../../renderer/src/tree/type-ahead';
import { info, server, vm } from './helpers/renderer-state';

function node(serverId: string, kind: NodeKind, ref: string, name: string, parentId: string | null, extra: Partial<InventoryNode> = {}): InventoryNode {
  return { id: `${serverId}:${kind}:${ref}`, serverId, kind, name, parentId, nativeRef: ref, allowed: [], props: {}, ...extra };
}

function pathsOf(servers: Array<{ id: string; name: string }>, nodes: InventoryNode[], filter = '') {
  const index = buildIndex(new Map(nodes.map((n) => [n.id, n])), 1);
  const order = buildOrder(servers, index);
  const rows = visibleRows(order, new Set(), filter, false);
  const names = new Map<string, string>([...servers.map((s) => [serverKey(s.id), s.name] as const), ...nodes.map((n) => [n.id, n.name] as const)]);
  const paths = Array.from(rows.positions, (p) => {
    const chain: string[] = [];
    for (let q = p; q >= 0; q = order.parent[q]) chain.unshift(names.get(order.keys[q])!);
    return chain.join('/');
  });
  return { paths, order, rows };
}

const descriptorOf = (type: string) => info.providers.find((d) => d.type === type);

describe('a pool is shown once, as its connection', () => {
  const pool = node('a', 'pool', 'p', 'Lab pool', null, { props: { uuid: 'pool-1' } });
  const host = node('a', 'host', 'h', 'host-1', pool.id);
  const nodes = [pool, host, vm('a', 'web', { parentId: host.id }), vm('a', 'db', { parentId: pool.id, state: 'halted' })];

  it('merges a server whose only child is a pool of the same name', () => {
    expect(pathsOf([{ id: 'a', name: 'Lab pool' }], nodes).paths).toEqual(['Lab pool', 'Lab pool/host-1', 'Lab pool/host-1/web', 'Lab pool/db']);
    // names compare without case or surrounding spaces
    expect(pathsOf([{ id: 'a', name: ' lab POOL ' }], nodes).paths[1]).toBe(' lab POOL /host-1');
  });

  it('keeps a pool row whose name differs from the server (the user named the connection otherwise)', () => {
    expect(pathsOf([{ id: 'a', name: 'xcp-master.lab' }], nodes).paths).toEqual([
      'xcp-master.lab',
      'xcp-master.lab/Lab pool',
      'xcp-master.lab/Lab pool/host-1',
      'xcp-master.lab/Lab pool/host-1/web',
      'xcp-master.lab/Lab pool/db',
    ]);
  });

  it('search still keeps the merged row as the ancestor of a match', () => {
    expect(pathsOf([{ id: 'a', name: 'Lab pool' }], nodes, 'web').paths).toEqual(['Lab pool', 'Lab pool/host-1', 'Lab pool/host-1/web']);
  });
});

describe('type-to-find', () => {
  const names = ['alpha', 'web-1', 'web-2', 'db', 'Wiki'];
  const nodes = names.map((n) => vm('s', n));
  const { order, rows } = pathsOf([{ id: 's', name: 'srv' }], nodes);
  // rows: srv, alpha, db, web-1, web-2, Wiki (natural order)
  const nameAt = (i: number) => order.names[rows.positions[i]];

  it('a letter moves to the next row starting with it, wrapping; a repeated letter cycles', () => {
    expect(nameAt(findByPrefix(order, rows, 'w', 0))).toBe('web-1');
    expect(nameAt(findByPrefix(order, rows, 'w', 3))).toBe('web-2');
    expect(nameAt(findByPrefix(order, rows, 'ww', 4))).toBe('wiki');
    expect(nameAt(findByPrefix(order, rows, 'w', 5))).toBe('web-1');
  });

  it('a longer prefix stays on the row that still matches, and finds nothing for a prefix no row has', () => {
    expect(nameAt(findByPrefix(order, rows, 'web-2', 3))).toBe('web-2');
    expect(nameAt(findByPrefix(order, rows, 'wi', 3))).toBe('wiki');
    expect(findByPrefix(order, rows, 'zz-top', 0)).toBe(-1);
    // nothing focused yet: the first match from the top
    expect(nameAt(findByPrefix(order, rows, 'db', -1))).toBe('db');
  });

  it('letters typed in quick succession make one prefix; a pause starts a new one', () => {
    let now = 1000;
    const typing = new TypeAhead(() => now);
    expect(typing.type('w')).toBe('w');
    now += 100;
    expect(typing.type('e')).toBe('we');
    now += TYPE_AHEAD_RESET_MS + 1;
    expect(typing.type('d')).toBe('d');
  });

  it('says a prefix is being typed only until the pause, so "-" and "*" in a name are not tree commands', () => {
    let now = 5_000;
    const typing = new TypeAhead(() => now);
    expect(typing.typing()).toBe(false);
    typing.type('v');
    now += 100;
    expect(typing.typing()).toBe(true);
    now += TYPE_AHEAD_RESET_MS + 1;
    expect(typing.typing()).toBe(false);
  });
});

describe("the platform's guest label", () => {
  it('is the descriptor rule where a provider gives one (a VMID first), the name elsewhere', () => {
    const guest = vm('p', 'web01', { props: { vmid: 100 } });
    const withRule = info.providers.find((d) => d.display.guest?.length);
    expect(withRule, 'a built-in provider labels guests by rule').toBeDefined();
    expect(treeLabel(guest, withRule)).toBe('100 (web01)');
    const withoutRule = info.providers.find((d) => !d.display.guest);
    expect(treeLabel(guest, withoutRule)).toBe('web01');
    // the rule applies only where the prop is present
    expect(treeLabel(vm('p', 'new'), withRule)).toBe('new');
    // hosts and pools keep their names
    expect(treeLabel(node('p', 'host', 'n', 'pve1', null, { props: { vmid: 1 } }), withRule)).toBe('pve1');
  });
});

describe('servers added twice', () => {
  const a = { ...server('a', 'xenserver'), name: 'Lab pool', host: '10.0.0.1', port: 443 };
  const b = { ...server('b', 'xenserver'), name: 'Lab pool (member)', host: '10.0.0.2', port: 443 };
  const c = { ...server('c', 'xenserver'), name: 'Lab pool again', host: '10.0.0.1', port: 443 };

  it('finds a saved server at the address typed, except the one being edited', () => {
    const d = descriptorOf('xenserver');
    const address = serverAtAddress([a, b], 'xenserver', '10.0.0.1:443', d);
    expect(address?.name ?? serverAtAddress([a, b], 'xenserver', '10.0.0.1', d)?.name).toBe('Lab pool');
    expect(serverAtAddress([a, b], 'xenserver', '10.9.9.9:443', d)).toBeUndefined();
    expect(serverAtAddress([a], 'xenserver', '10.0.0.1:443', d, 'a') ?? serverAtAddress([a], 'xenserver', '10.0.0.1', d, 'a')).toBeUndefined();
  });

  it('flags the later server with the same address or the same pool (by its uuid), naming the first', () => {
    const nodes = [node('a', 'pool', 'p', 'Lab pool', null, { props: { uuid: 'u1' } }), node('b', 'pool', 'p', 'Lab pool', null, { props: { uuid: 'u1' } })];
    const index = buildIndex(new Map(nodes.map((n) => [n.id, n])), 1);
    const found = duplicateServers([a, b, c], index, descriptorOf);
    expect(found.get('a')).toBeUndefined();
    expect(found.get('b')).toEqual({ other: 'Lab pool', why: 'pool' });
    expect(found.get('c')).toEqual({ other: 'Lab pool', why: 'address' });
  });
});

describe('pane sizes kept across starts', () => {
  it('reads saved sizes, clamped, and falls back to the defaults for missing or damaged entries', () => {
    const storage = (text: string | null) => ({ getItem: (key: string) => (key === PANE_SIZES_KEY ? text : null) });
    expect(readPaneSizes(storage(JSON.stringify({ treeWidth: 420, tasksHeight: 250 })))).toEqual({ treeWidth: 420, tasksHeight: 250 });
    expect(readPaneSizes(storage(JSON.stringify({ treeWidth: 5, tasksHeight: 'x' })))).toEqual({ treeWidth: clampPane('treeWidth', 5), tasksHeight: DEFAULT_PANE_SIZES.tasksHeight });
    expect(readPaneSizes(storage('{not json'))).toEqual(DEFAULT_PANE_SIZES);
    expect(readPaneSizes(undefined)).toEqual(DEFAULT_PANE_SIZES);
    expect(clampPane('tasksHeight', 100_000)).toBeLessThan(1000);
  });
});

describe('a multi-selection and a bulk outcome', () => {
  it('counts per kind and per state', () => {
    const counts = selectionCounts([server('s', 'xenserver', 'error')], [vm('x', 'a'), vm('x', 'b', { state: 'halted' }), vm('x', 'c'), node('x', 'host', 'h', 'h', null)]);
    expect(counts).toEqual([
      { kind: 'server', count: 1, states: [{ key: 'connection.error', count: 1 }] },
      {
        kind: 'vm',
        count: 3,
        states: [
          { key: 'powerState.running', count: 2 },
          { key: 'powerState.halted', count: 1 },
        ],
      },
      { kind: 'host', count: 1, states: [] },
    ]);
  });

  const task = (id: string, name: string, status: TaskInfo['status'], extra: Partial<TaskInfo> = {}): TaskInfo => ({
    id,
    serverId: 'x',
    targetId: `x:vm:${name}`,
    targetName: name,
    action: 'shutdown',
    status,
    progress: 1,
    startedAt: 1,
    cancellable: false,
    ...extra,
  });

  it('waits for every task, then says how many were done, failed and skipped, each not done by name and why', () => {
    const t = i18n.getFixedT('en');
    const skipped = [{ node: vm('x', 'legacy'), reason: 'legacy has no guest tools.' }];
    expect(outcomeOf(t, [task('1', 'web', 'success'), task('2', 'db', 'running')], skipped)).toBeNull();
    const failed = task('2', 'db', 'failure', { error: { code: 'SERVER_ERROR', message: 'busy', serverCode: 'OTHER_OPERATION_IN_PROGRESS' } });
    const outcome = outcomeOf(t, [task('1', 'web', 'success'), failed], skipped)!;
    expect(outcomeText(t, 'Shut down', outcome)).toBe('Shut down: 1 done, 1 failed, 1 skipped');
    expect(outcome.lines[0]).toMatch(/^db: failed — .+ \(OTHER_OPERATION_IN_PROGRESS\)$/);
    expect(outcome.lines[1]).toBe('legacy: skipped — legacy has no guest tools.');
    const zh = i18n.getFixedT('zh-CN');
    expect(outcomeText(zh, '关机', outcomeOf(zh, [task('1', 'web', 'success')], skipped)!)).toBe('关机：1 个完成，1 个跳过');
  });
});
