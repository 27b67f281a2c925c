// `polyvisor inventory --view objects|tags|folders|search:<name>`: the inventory grouped as
// the app's view of that name shows it (shared/search/view-groups.ts), as text or JSON.

import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import { subjectOf } from '../../shared/search';
import { foldersGroups, objectsGroups, searchGroup, tagsGroups, type ViewGroup } from '../../shared/search/view-groups';
import type { PolyvisorCore } from '../core/app-core';

export const INVENTORY_VIEWS = ['infrastructure', 'objects', 'tags', 'folders', 'search:<name>'];

export function isInventoryView(view: string): boolean {
  return ['infrastructure', 'objects', 'tags', 'folders'].includes(view) || (view.startsWith('search:') && view.length > 'search:'.length);
}

/** The groups of a view other than the infrastructure tree. */
export async function viewGroups(view: string, nodes: readonly InventoryNode[], core: PolyvisorCore, serverName: (id: string) => string | undefined): Promise<ViewGroup[]> {
  const own = await core.invoke('labels:own');
  switch (view) {
    case 'objects':
      return objectsGroups(nodes);
    case 'tags':
      return tagsGroups(nodes, own);
    case 'folders':
      return foldersGroups(nodes, own);
  }
  const name = view.slice('search:'.length);
  const searches = await core.invoke('searches:list');
  const search = searches.find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!search) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No saved search is called ${JSON.stringify(name)}${searches.length ? ` (saved: ${searches.map((s) => s.name).join(', ')})` : ''}.` });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const group = searchGroup(nodes, search.name, search.query, (n) => subjectOf(n, byId, serverName(n.serverId), own));
  if (!group) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `The saved search ${JSON.stringify(search.name)} does not parse: ${search.query}` });
  return [group];
}

const count = (g: ViewGroup): number => g.items.length + g.groups.reduce((n, c) => n + count(c), 0);

export function formatGroups(groups: readonly ViewGroup[], depth = 0): string {
  const pad = '  '.repeat(depth);
  return groups
    .map((g) => [`${pad}${g.label} (${count(g)})`, ...(g.groups.length ? [formatGroups(g.groups, depth + 1)] : []), ...g.items.map((n) => `${pad}  ${n.name}  [${n.kind}${n.state ? `, ${n.state}` : ''}]`)].join('\n'))
    .join('\n');
}

/** As JSON: each group with its subgroups and its objects (id, name, kind, state, server). */
export function groupsJson(groups: readonly ViewGroup[]): unknown[] {
  return groups.map((g) => ({ group: g.label, count: count(g), groups: groupsJson(g.groups), objects: g.items.map((n) => ({ id: n.id, name: n.name, kind: n.kind, state: n.state ?? null, serverId: n.serverId })) }));
}
