// The navigation views (issue 16): Objects by type, Tags, Folders and Saved searches laid
// out from the normalized model with the same node ids as the Infrastructure tree, and
// the search language deciding which rows (and which selected objects) stay visible.
import { describe, expect, it } from 'vitest';
import type { ServerView } from '../../shared/contract';
import type { InventoryNode, NodeKind } from '../../shared/model';
import { buildIndex } from '../../renderer/src/tree/inventory-index';
import { rowAt, type TreeOrder } from '../../renderer/src/tree/flatten';
import { foldersOrder, objectsOrder, savedSearchesOrder, tagsOrder } from '../../renderer/src/views/groupings';
import { matchMarks, rowsFor } from '../../renderer/src/views/filter-marks';
import { isGroupKey, type ViewOrder } from '../../renderer/src/views/order-builder';
import { searchSubjects } from '../../renderer/src/views/subjects';
import { knownValues } from '../../renderer/src/views/known-values';

const GiB = 1024 ** 3;
function node(serverId: string, kind: NodeKind, ref: string, name: string, parentId: string | null, extra: Partial<InventoryNode> = {}): InventoryNode {
  return { id: `${serverId}:${kind}:${ref}`, serverId, kind, name, parentId, nativeRef: ref, allowed: [], props: {}, ...extra };
}
const pool = node('x', 'pool', 'p', 'Lab pool', null);
const host = node('x', 'host', 'h', 'dt16', pool.id);
const nodes = [
  pool,
  host,
  node('x', 'vm', 'dom0', 'Control domain', host.id, { controlDomain: true }),
  node('x', 'vm', 'w1', 'web-01', host.id, { state: 'running', props: { tags: ['prod', 'web'], folder: '/Production/Web', memory: 8 * GiB, os: 'Windows Server 2019', host: 'dt16' } }),
  node('x', 'vm', 'w2', 'web-02', pool.id, { state: 'halted', props: { tags: ['prod'], folder: '/Production', memory: 2 * GiB } }),
  node('x', 'template', 't1', 'Debian 12', pool.id, { props: { defaultTemplate: true } }),
  node('x', 'template', 't2', 'golden web', pool.id, { props: { tags: ['web'] } }),
  node('x', 'storage', 'sr1', 'NFS share', pool.id, { storage: { type: 'nfs', shared: true, size: 1, used: 0, free: 1, hostIds: [] } }),
  node('x', 'storage', 'sr2', 'Local storage', host.id, { storage: { type: 'lvm', shared: false, size: 1, used: 0, free: 1, hostIds: [host.id] } }),
  node('x', 'snapshot', 's1', 'before', 'x:vm:w1', { snapshot: { ofId: 'x:vm:w1', parentSnapshotId: null, time: null, withMemory: false, description: '' } }),
  node('p', 'pool', 'c', 'pve cluster', null),
  node('p', 'host', 'n1', 'pve1', 'p:pool:c'),
  node('p', 'vm', '100', 'db-01', 'p:host:n1', { state: 'running', props: { tags: ['prod', 'db'], memory: 4 * GiB } }),
  node('p', 'container', '101', 'cache', 'p:host:n1', { state: 'running', props: { tags: [] } }),
  node('d', 'container', 'c1', 'nginx', null, { state: 'running', props: { tags: ['compose=web'] } }),
  node('d', 'image', 'i1', 'busybox', null, { props: { tags: ['local/busybox:latest'] } }),
  node('d', 'network', 'n1', 'bridge', null),
];
const index = buildIndex(new Map(nodes.map((n) => [n.id, n])), 1);
const servers = [
  { id: 'x', name: 'lab pool xapi', state: 'connected' },
  { id: 'p', name: 'pve', state: 'connected' },
  { id: 'd', name: 'docker', state: 'connected' },
] as ServerView[];

/** Each row as "  label" indented by depth: a group by its label (key), an object by its node id. */
function lines(order: ViewOrder | TreeOrder, filter = '', showTemplates = false): string[] {
  const marks = matchMarks(order, filter, searchSubjects(servers, index), showTemplates);
  const rows = rowsFor(order, new Set(), marks, showTemplates);
  const ctx = { index, servers: new Map(servers.map((s) => [s.id, s])), collapsed: new Set<string>(), showTemplates };
  return Array.from(rows.positions, (_, i) => {
    const r = rowAt(order, rows, i, ctx);
    const group = 'groups' in order ? order.groups.get(r.key) : undefined;
    return `${'  '.repeat(r.depth)}${group ? `[${group.labelKey ?? group.label} ${group.count}]` : r.key}`;
  });
}

describe('Objects view', () => {
  it('groups every object by type across servers, in XenCenter order, without snapshots, control domains or the default templates (unless shown)', () => {
    expect(lines(objectsOrder(index))).toEqual([
      '[views.objects.pools 2]',
      '  x:pool:p',
      '  p:pool:c',
      '[views.objects.hosts 2]',
      '  x:host:h',
      '  p:host:n1',
      '[views.objects.vms 3]',
      '  p:vm:100',
      '  x:vm:w1',
      '  x:vm:w2',
      '[views.objects.containers 2]',
      '  p:container:101',
      '  d:container:c1',
      '[views.objects.customTemplates 1]',
      '  x:template:t2',
      '[views.objects.remoteStorage 1]',
      '  x:storage:sr1',
      '[views.objects.localStorage 1]',
      '  x:storage:sr2',
      '[views.objects.networks 1]',
      '  d:network:n1',
      '[views.objects.images 1]',
      '  d:image:i1',
    ]);
    expect(lines(objectsOrder(index), '', true)).toContain('[views.objects.templates 1]');
  });

  it('a search keeps the matching objects and their group', () => {
    expect(lines(objectsOrder(index), 'type:vm memory>=4GiB')).toEqual(['[views.objects.vms 3]', '  p:vm:100', '  x:vm:w1']);
    expect(lines(objectsOrder(index), 'server:pve OR tag:web')).toEqual([
      '[views.objects.pools 2]',
      '  p:pool:c',
      '[views.objects.hosts 2]',
      '  p:host:n1',
      '[views.objects.vms 3]',
      '  p:vm:100',
      '  x:vm:w1',
      '[views.objects.containers 2]',
      '  p:container:101',
      '[views.objects.customTemplates 1]',
      '  x:template:t2',
    ]);
  });
});

describe('Tags and Folders views', () => {
  it('lists each tag with the objects that carry it (an object under each of its tags); image references are not tags', () => {
    expect(lines(tagsOrder(index))).toEqual([
      '[compose=web 1]',
      '  d:container:c1',
      '[db 1]',
      '  p:vm:100',
      '[prod 3]',
      '  p:vm:100',
      '  x:vm:w1',
      '  x:vm:w2',
      '[web 2]',
      '  x:template:t2',
      '  x:vm:w1',
    ]);
  });

  it('nests folders by their path and counts what each holds', () => {
    const order = foldersOrder(index);
    expect(lines(order)).toEqual(['[Production 2]', '  [Web 1]', '    x:vm:w1', '  x:vm:w2']);
    expect(order.keys.filter(isGroupKey)).toEqual(['grp|folder|/Production', 'grp|folder|/Production/Web']);
  });

  it('shows empty folders: a pool’s (XenServer EMPTY_FOLDERS) and Polyvisor’s own, with no objects', () => {
    const withEmpty = buildIndex(new Map([...index.nodes].map(([id, n]) => [id, id === pool.id ? { ...n, props: { ...n.props, emptyFolders: ['/Production/Spare', '/Archive'] } } : n])), 1);
    const order = foldersOrder(withEmpty, { tags: {}, folders: {}, emptyFolders: ['/Lab'] });
    expect(lines(order)).toEqual(['[Archive 0]', '[Lab 0]', '[Production 2]', '  [Spare 0]', '  [Web 1]', '    x:vm:w1', '  x:vm:w2']);
  });

  it('a saved search is a group of what its query finds now', () => {
    const order = savedSearchesOrder(index, searchSubjects(servers, index), [
      { id: 's1', name: 'Running prod', query: 'tag:prod state:running' },
      { id: 's2', name: 'Broken', query: 'name:(' },
    ]);
    expect(lines(order)).toEqual(['[Running prod 2]', '  p:vm:100', '  x:vm:w1', '[Broken 0]']);
  });
});

describe('search subjects and completion', () => {
  it('names the server, pool and host of an object and completes from what the inventory has', () => {
    const subjects = searchSubjects(servers, index);
    expect(subjects.get('x:vm:w1')).toMatchObject({ server: 'lab pool xapi', pool: 'Lab pool', host: 'dt16', tags: ['prod', 'web'], folder: '/Production/Web' });
    expect(subjects.get('p:vm:100')).toMatchObject({ pool: 'pve cluster', host: 'pve1' });
    const known = knownValues(servers, index);
    expect(known.tag).toEqual(expect.arrayContaining(['prod', 'web', 'db']));
    expect(known.tag).not.toContain('local/busybox:latest');
    expect(known.server).toEqual(['lab pool xapi', 'pve', 'docker']);
  });
});
