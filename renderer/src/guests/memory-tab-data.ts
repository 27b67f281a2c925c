// What the Memory tab draws for a pool or host: each host with its total and free
// memory, and the guests on it (a pool's halted guests in a group of their own).
import type { InventoryNode } from '../../../shared/model';
import type { InventoryIndex } from '../tree/inventory-index';

export interface HostMemoryGroup {
  /** null: the pool's guests that are on no host now */
  host: InventoryNode | null;
  totalBytes: number | null;
  freeBytes: number | null;
  guests: InventoryNode[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const isGuest = (n: InventoryNode): boolean => (n.kind === 'vm' || n.kind === 'container') && !n.controlDomain;

function childrenOf(index: InventoryIndex, id: string): InventoryNode[] {
  return (index.children.get(id) ?? []).map((c) => index.nodes.get(c)).filter((n): n is InventoryNode => n !== undefined);
}

export function memoryGroups(index: InventoryIndex, root: InventoryNode): HostMemoryGroup[] {
  const group = (host: InventoryNode): HostMemoryGroup => ({
    host,
    totalBytes: num(host.props.memoryTotal) ?? num(host.props.memory),
    freeBytes: num(host.props.memoryFree),
    guests: childrenOf(index, host.id).filter(isGuest),
  });
  if (root.kind === 'host') return [group(root)];
  const hosts: InventoryNode[] = [];
  const loose: InventoryNode[] = [];
  const walk = (id: string, depth: number) => {
    for (const child of childrenOf(index, id)) {
      if (child.kind === 'host') hosts.push(child);
      else if (isGuest(child)) loose.push(child);
      else if (depth < 4 && child.kind !== 'snapshot') walk(child.id, depth + 1);
    }
  };
  walk(root.id, 0);
  const groups = hosts.map(group);
  if (loose.length) groups.push({ host: null, totalBytes: null, freeBytes: null, guests: loose });
  return groups;
}
