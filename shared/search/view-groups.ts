// The navigation views' groupings (XenCenter's Objects by type, Tags, Folders and saved
// searches) on the normalized model: which group each object falls in, and the grouped
// tree as plain data for `polyvisor inventory --view`. The renderer lays the same groups
// out for its tree (renderer/src/views/groupings.ts) with these rules.
import type { OwnLabels } from '../labels';
import type { InventoryNode } from '../model';
import { compileQuery, type SearchSubject } from './evaluate';
import { parseQuery } from './parser';
import { NO_OWN_LABELS, nodeLabels } from './subject';

/** XenCenter's Objects view's groups, in its order; networks appear once a provider sends them. */
export const OBJECT_GROUPS = ['pools', 'hosts', 'vms', 'containers', 'customTemplates', 'templates', 'remoteStorage', 'localStorage', 'networks', 'projects', 'images', 'volumes'] as const;
export type ObjectGroup = (typeof OBJECT_GROUPS)[number];

/** The groups' names in English (the CLI's words; the renderer has them in both languages). */
export const OBJECT_GROUP_NAMES: Record<ObjectGroup, string> = {
  pools: 'Pools',
  hosts: 'Hosts',
  vms: 'VMs',
  containers: 'Containers',
  customTemplates: 'Custom templates',
  templates: 'Templates',
  remoteStorage: 'Remote storage',
  localStorage: 'Local storage',
  networks: 'Networks',
  projects: 'Compose projects',
  images: 'Images',
  volumes: 'Volumes',
};

export function objectGroupOf(node: InventoryNode): ObjectGroup | null {
  if (node.controlDomain) return null;
  switch (node.kind) {
    case 'pool':
    case 'cluster':
      // a standalone XAPI "pool" is its host: the host row stands for it
      return node.props.standalone === true ? null : 'pools';
    case 'host':
      return 'hosts';
    case 'vm':
      return 'vms';
    case 'container':
      return 'containers';
    case 'template':
      return node.props.defaultTemplate === true ? 'templates' : 'customTemplates';
    case 'storage':
      return node.storage?.shared ? 'remoteStorage' : 'localStorage';
    case 'network':
      return 'networks';
    case 'project':
      return 'projects';
    case 'image':
      return 'images';
    case 'volume':
      return 'volumes';
    default:
      return null;
  }
}

/** "/Production/Web" → ["Production", "Web"]; XenCenter's paths start with "/" and never end with one. */
export function folderSegments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** The empty folders: each pool's (XenServer's EMPTY_FOLDERS, read by the provider) and Polyvisor's own. */
export function emptyFoldersOf(nodes: Iterable<InventoryNode>, own: OwnLabels): string[] {
  const out = [...(own.emptyFolders ?? [])];
  for (const node of nodes) {
    if (node.kind === 'pool' && Array.isArray(node.props.emptyFolders)) out.push(...node.props.emptyFolders.filter((p): p is string => typeof p === 'string'));
  }
  return out;
}

export interface ViewGroup {
  label: string;
  groups: ViewGroup[];
  items: InventoryNode[];
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const byName = (a: InventoryNode, b: InventoryNode) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);
const listable = (node: InventoryNode) => objectGroupOf(node) !== null;

export function objectsGroups(nodes: readonly InventoryNode[]): ViewGroup[] {
  return OBJECT_GROUPS.map((group) => ({ label: OBJECT_GROUP_NAMES[group], groups: [], items: nodes.filter((n) => objectGroupOf(n) === group).sort(byName) })).filter((g) => g.items.length);
}

export function tagsGroups(nodes: readonly InventoryNode[], own: OwnLabels = NO_OWN_LABELS): ViewGroup[] {
  const byTag = new Map<string, InventoryNode[]>();
  for (const node of nodes.filter(listable)) for (const tag of nodeLabels(node, own).tags) byTag.set(tag, [...(byTag.get(tag) ?? []), node]);
  return [...byTag.keys()].sort(collator.compare).map((tag) => ({ label: tag, groups: [], items: byTag.get(tag)!.sort(byName) }));
}

export function foldersGroups(nodes: readonly InventoryNode[], own: OwnLabels = NO_OWN_LABELS): ViewGroup[] {
  const root: ViewGroup = { label: '', groups: [], items: [] };
  const at = (path: string): ViewGroup => {
    let group = root;
    for (const segment of folderSegments(path)) {
      let next = group.groups.find((g) => g.label === segment);
      if (!next) group.groups.push((next = { label: segment, groups: [], items: [] }));
      group = next;
    }
    return group;
  };
  for (const node of nodes.filter(listable)) {
    const folder = nodeLabels(node, own).folder;
    if (folder) at(folder).items.push(node);
  }
  for (const path of emptyFoldersOf(nodes, own)) at(path);
  const sort = (group: ViewGroup): ViewGroup => ({ ...group, groups: group.groups.map(sort).sort((a, b) => collator.compare(a.label, b.label)), items: group.items.sort(byName) });
  return sort(root).groups;
}

/** A saved search as a view: one group of what its query finds now (null: the query does not parse). */
export function searchGroup(nodes: readonly InventoryNode[], name: string, query: string, subjectOf: (node: InventoryNode) => SearchSubject): ViewGroup | null {
  const parsed = parseQuery(query);
  if (!parsed.ok) return null;
  const test = compileQuery(parsed.query);
  return { label: name, groups: [], items: nodes.filter((n) => listable(n) && test(subjectOf(n))).sort(byName) };
}
