// Changes of the tree's shape patched into the index where they happen (issue 17): a
// guest or snapshot added, removed, renamed or moved touches only its old and new
// parent's sorted children lists (and its VM's snapshot list), not a rebuild of 100,000
// nodes. The inventory's later pages come in this way too. Anything else — a host or a
// pool (they decide where guests hang), a server reset, a node with rows under it —
// returns null: the caller rebuilds.
import type { InventoryDelta, InventoryNode } from '../../../shared/model';
import { LEAF_KINDS } from '../../../shared/leaf-kinds';
import { shapeChanged, treeParentOf, type InventoryIndex } from './inventory-index';
import { compareEntries, compareEntryToNode, sortEntryOf } from './tree-sort';

export function patchIndex(previous: InventoryIndex, deltas: readonly InventoryDelta[]): InventoryIndex | null {
  if (!deltas.every((delta) => isPatchable(previous, delta))) return null;
  const patch = new ShapePatch(previous);
  for (const delta of deltas) {
    for (const id of delta.remove) patch.remove(id);
    for (const node of delta.upsert) patch.upsert(node);
  }
  return patch.finish();
}

/**
 * Adds or replaces nodes (a page of the inventory) a slice at a time, awaiting `between`
 * before each slice; the lists are merged once at the end. Null when they need a rebuild.
 */
export async function patchInSlices(previous: InventoryIndex, nodes: readonly InventoryNode[], slice: number, between: () => Promise<void>): Promise<InventoryIndex | null> {
  if (!isPatchable(previous, { serverId: '', upsert: nodes as InventoryNode[], remove: [] })) return null;
  const patch = new ShapePatch(previous);
  for (let from = 0; from < nodes.length; from += slice) {
    await between();
    const to = Math.min(nodes.length, from + slice);
    for (let i = from; i < to; i++) patch.upsert(nodes[i]);
  }
  return patch.finish();
}

function isPatchable(index: InventoryIndex, delta: InventoryDelta): boolean {
  if (delta.reset) return false;
  const isLeaf = (node: InventoryNode | undefined) => !node || (LEAF_KINDS.has(node.kind) && !index.children.has(node.id));
  return delta.remove.every((id) => isLeaf(index.nodes.get(id))) && delta.upsert.every((node) => LEAF_KINDS.has(node.kind) && isLeaf(index.nodes.get(node.id)));
}

const shownInTree = (node: InventoryNode) => node.kind !== 'snapshot' && !node.controlDomain;

/** One batch's changes: ids leaving and joining each list, applied to the lists once at the end. */
class ShapePatch {
  private readonly leaving = new Map<string, Set<string>>();
  private readonly joining = new Map<string, Set<string>>();
  private readonly snapshotsLeaving = new Map<string, Set<string>>();
  private readonly snapshotsJoining = new Map<string, Set<string>>();
  private displayed: number;

  constructor(private readonly index: InventoryIndex) {
    this.displayed = index.displayed;
  }

  remove(id: string): void {
    const before = this.index.nodes.get(id);
    if (!before) return;
    this.detach(before);
    this.index.nodes.delete(id);
  }

  upsert(node: InventoryNode): void {
    const before = this.index.nodes.get(node.id);
    if (before && !shapeChanged(before, node)) {
      this.index.nodes.set(node.id, node);
      return;
    }
    if (before) this.detach(before);
    this.index.nodes.set(node.id, node);
    this.attach(node);
  }

  finish(): InventoryIndex {
    const { nodes } = this.index;
    const children = new Map(this.index.children);
    for (const key of new Set([...this.leaving.keys(), ...this.joining.keys()])) {
      const list = mergeSorted(children.get(key) ?? [], this.leaving.get(key), this.joining.get(key), nodes);
      if (list.length) children.set(key, list);
      else children.delete(key);
    }
    const { snapshotsOf } = this.index;
    for (const of of new Set([...this.snapshotsLeaving.keys(), ...this.snapshotsJoining.keys()])) {
      const gone = this.snapshotsLeaving.get(of);
      const list = (snapshotsOf.get(of) ?? []).filter((id) => !gone?.has(id));
      list.push(...(this.snapshotsJoining.get(of) ?? []));
      if (list.length) snapshotsOf.set(of, list);
      else snapshotsOf.delete(of);
    }
    return { ...this.index, children, displayed: this.displayed, version: this.index.version + 1, structure: this.index.structure + 1 };
  }

  private detach(node: InventoryNode): void {
    if (node.kind === 'snapshot') {
      if (node.snapshot?.ofId) leave(this.snapshotsLeaving, this.snapshotsJoining, node.snapshot.ofId, node.id);
      return;
    }
    if (!shownInTree(node)) return;
    const key = treeParentOf(this.index.nodes, this.index.hostsOfPool, node);
    if (key === null) return;
    leave(this.leaving, this.joining, key, node.id);
    this.displayed--;
  }

  private attach(node: InventoryNode): void {
    if (node.kind === 'snapshot') {
      if (node.snapshot?.ofId) join(this.snapshotsJoining, node.snapshot.ofId, node.id);
      return;
    }
    if (!shownInTree(node)) return;
    const key = treeParentOf(this.index.nodes, this.index.hostsOfPool, node);
    if (key === null) return;
    join(this.joining, key, node.id);
    this.displayed++;
  }
}

/** An id leaves a list: taken back if it joined in this batch, else taken out of the list as it was. */
function leave(leaving: Map<string, Set<string>>, joining: Map<string, Set<string>>, key: string, id: string): void {
  if (joining.get(key)?.delete(id)) return;
  join(leaving, key, id);
}

function join(sets: Map<string, Set<string>>, key: string, id: string): void {
  const set = sets.get(key);
  if (set) set.add(id);
  else sets.set(key, new Set([id]));
}

/** The sorted list without `gone`, with `added` placed by binary search: O(added · log n) comparisons. */
function mergeSorted(list: readonly string[], gone: ReadonlySet<string> | undefined, added: ReadonlySet<string> | undefined, nodes: ReadonlyMap<string, InventoryNode>): string[] {
  const kept: readonly string[] = gone?.size ? list.filter((id) => !gone.has(id)) : list;
  if (!added?.size) return [...kept];
  const entries = [...added].map((id) => sortEntryOf(nodes.get(id)!)).sort(compareEntries);
  const out: string[] = new Array<string>(kept.length + entries.length);
  let from = 0;
  let k = 0;
  for (const entry of entries) {
    let lo = from;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareEntryToNode(entry, nodes.get(kept[mid])!) > 0) lo = mid + 1;
      else hi = mid;
    }
    while (from < lo) out[k++] = kept[from++];
    out[k++] = entry.id;
  }
  while (from < kept.length) out[k++] = kept[from++];
  return out;
}
