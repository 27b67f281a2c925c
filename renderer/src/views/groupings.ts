// The grouped views (XenCenter's navigation views): Objects by type, Tags, Folders and
// Saved searches, each laid out by OrderBuilder from the normalized inventory.
import type { OwnLabels } from '../../../shared/labels';
import type { InventoryNode } from '../../../shared/model';
import { compileQuery, parseQuery } from '../../../shared/search';
import { emptyFoldersOf, folderSegments, OBJECT_GROUPS, objectGroupOf, type ObjectGroup } from '../../../shared/search/view-groups';
import type { InventoryIndex } from '../tree/inventory-index';
import { labelsOf, NO_OWN_LABELS } from './labels';
import { groupKey, OrderBuilder, type ViewOrder } from './order-builder';
import type { SubjectIndex } from './subjects';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function sortNodes(nodes: InventoryNode[]): InventoryNode[] {
  return nodes.sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
}

/** Objects the label views list: what the tree shows, without snapshots and servers. */
function listable(node: InventoryNode): boolean {
  return objectGroupOf(node) !== null;
}

export function objectsOrder(index: InventoryIndex): ViewOrder {
  const byGroup = new Map<ObjectGroup, InventoryNode[]>();
  for (const node of index.nodes.values()) {
    const group = objectGroupOf(node);
    if (!group) continue;
    const list = byGroup.get(group);
    if (list) list.push(node);
    else byGroup.set(group, [node]);
  }
  const b = new OrderBuilder();
  for (const group of OBJECT_GROUPS) {
    const nodes = byGroup.get(group);
    if (!nodes?.length) continue;
    // the default templates hide with the templates setting, as in the Infrastructure tree
    const template = group === 'templates';
    b.openGroup(groupKey('objects', group), { labelKey: `views.objects.${group}`, count: nodes.length, icon: 'group' }, group, template);
    for (const node of sortNodes(nodes)) b.item(node.id, node.serverId, index.lowerNames.get(node.id) ?? node.name.toLowerCase(), template);
    b.closeGroup();
  }
  return b.build();
}

export function tagsOrder(index: InventoryIndex, own: OwnLabels = NO_OWN_LABELS): ViewOrder {
  const byTag = new Map<string, InventoryNode[]>();
  for (const node of index.nodes.values()) {
    if (!listable(node)) continue;
    for (const tag of labelsOf(node, own).tags) {
      const list = byTag.get(tag);
      if (list) list.push(node);
      else byTag.set(tag, [node]);
    }
  }
  const b = new OrderBuilder();
  for (const tag of [...byTag.keys()].sort(collator.compare)) {
    const nodes = byTag.get(tag)!;
    b.openGroup(groupKey('tag', tag), { label: tag, count: nodes.length, icon: 'tag' }, tag.toLowerCase());
    for (const node of sortNodes(nodes)) b.item(node.id, node.serverId, index.lowerNames.get(node.id) ?? node.name.toLowerCase(), node.kind === 'template' && node.props.defaultTemplate === true);
    b.closeGroup();
  }
  return b.build();
}

interface FolderTree {
  children: Map<string, FolderTree>;
  nodes: InventoryNode[];
}

export function foldersOrder(index: InventoryIndex, own: OwnLabels = NO_OWN_LABELS): ViewOrder {
  const root: FolderTree = { children: new Map(), nodes: [] };
  const folderAt = (path: string): FolderTree => {
    let at = root;
    for (const segment of folderSegments(path)) {
      let next = at.children.get(segment);
      if (!next) at.children.set(segment, (next = { children: new Map(), nodes: [] }));
      at = next;
    }
    return at;
  };
  for (const node of index.nodes.values()) {
    if (!listable(node)) continue;
    const folder = labelsOf(node, own).folder;
    if (folder) folderAt(folder).nodes.push(node);
  }
  for (const path of emptyFoldersOf(index.nodes.values(), own)) folderAt(path);
  const b = new OrderBuilder();
  const count = (tree: FolderTree): number => tree.nodes.length + [...tree.children.values()].reduce((n, c) => n + count(c), 0);
  const visit = (tree: FolderTree, path: string) => {
    for (const name of [...tree.children.keys()].sort(collator.compare)) {
      const child = tree.children.get(name)!;
      const childPath = `${path}/${name}`;
      b.openGroup(groupKey('folder', childPath), { label: name, count: count(child), icon: 'folder' }, name.toLowerCase());
      visit(child, childPath);
      b.closeGroup();
    }
    for (const node of sortNodes(tree.nodes)) b.item(node.id, node.serverId, index.lowerNames.get(node.id) ?? node.name.toLowerCase(), node.kind === 'template' && node.props.defaultTemplate === true);
  };
  visit(root, '');
  return b.build();
}

export interface SavedSearchRef {
  id: string;
  name: string;
  query: string;
}

/** Each saved search is a group of the objects its query matches now. */
export function savedSearchesOrder(index: InventoryIndex, subjects: SubjectIndex, searches: readonly SavedSearchRef[]): ViewOrder {
  const b = new OrderBuilder();
  const nodes = sortNodes([...index.nodes.values()].filter(listable));
  for (const search of searches) {
    const parsed = parseQuery(search.query);
    const test = parsed.ok ? compileQuery(parsed.query) : () => false;
    const matched = nodes.filter((node) => test(subjects.get(node.id)!));
    b.openGroup(groupKey('saved', search.id), { label: search.name, count: matched.length, icon: 'search' }, search.name.toLowerCase());
    for (const node of matched) b.item(node.id, node.serverId, index.lowerNames.get(node.id) ?? node.name.toLowerCase(), node.kind === 'template' && node.props.defaultTemplate === true);
    b.closeGroup();
  }
  return b.build();
}
