// The Infrastructure tree's order of siblings: by kind, then by name in natural order
// ("vm-2" before "vm-10"), then by id; one parent's children are kept sorted this way.
import type { InventoryNode, NodeKind } from '../../../shared/model';

const KIND_ORDER: Record<NodeKind, number> = {
  server: 0,
  pool: 1,
  cluster: 2,
  host: 3,
  vm: 4,
  container: 5,
  project: 6,
  template: 7,
  image: 8,
  volume: 9,
  storage: 10,
  network: 11,
  snapshot: 12,
};

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const ASCII = /^[\x00-\x7f]*$/;
const isDigit = (c: number) => c >= 48 && c <= 57;

/** Natural order ("vm-2" before "vm-10") of two ASCII names, without allocating: digit runs compare by their value. */
function asciiNaturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      const byValue = compareDigitRuns(a, i, b, j);
      if (byValue.order !== 0) return byValue.order;
      i = byValue.endA;
      j = byValue.endB;
      continue;
    }
    const la = ca >= 65 && ca <= 90 ? ca + 32 : ca;
    const lb = cb >= 65 && cb <= 90 ? cb + 32 : cb;
    if (la !== lb) return la - lb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j) || (a < b ? -1 : 1);
}

const digitRuns = { order: 0, endA: 0, endB: 0 };

/** The digit runs starting at a[i] and b[j] by their value (leading zeros do not count); one shared result object. */
function compareDigitRuns(a: string, i: number, b: string, j: number): typeof digitRuns {
  let ei = i;
  while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
  let ej = j;
  while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
  let si = i;
  while (si < ei - 1 && a.charCodeAt(si) === 48) si++;
  let sj = j;
  while (sj < ej - 1 && b.charCodeAt(sj) === 48) sj++;
  let order = ei - si - (ej - sj);
  for (let k = 0; order === 0 && k < ei - si; k++) order = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
  digitRuns.order = order;
  digitRuns.endA = ei;
  digitRuns.endB = ej;
  return digitRuns;
}

export interface SortEntry {
  id: string;
  kind: number;
  name: string;
  ascii: boolean;
}

export function compareEntries(a: SortEntry, b: SortEntry): number {
  if (a.kind !== b.kind) return a.kind - b.kind;
  const byName = a.name === b.name ? 0 : a.ascii && b.ascii ? asciiNaturalCompare(a.name, b.name) : collator.compare(a.name, b.name);
  return byName || (a.id < b.id ? -1 : 1);
}

/** The entry a node is sorted by. */
export function sortEntryOf(node: InventoryNode): SortEntry {
  return { id: node.id, kind: KIND_ORDER[node.kind], name: node.name, ascii: ASCII.test(node.name) };
}

/** compareEntries(entry, the node's entry) without making the node's entry (binary searches over long lists). */
export function compareEntryToNode(a: SortEntry, node: InventoryNode): number {
  const kind = KIND_ORDER[node.kind];
  if (a.kind !== kind) return a.kind - kind;
  const byName = a.name === node.name ? 0 : a.ascii && ASCII.test(node.name) ? asciiNaturalCompare(a.name, node.name) : collator.compare(a.name, node.name);
  return byName || (a.id < node.id ? -1 : 1);
}
