// Which consoles a node has: what its server offers, narrowed by the kind of node.
import type { Capabilities, InventoryNode } from '../../../shared/model';

/** Graphical first for VMs, text first for containers. */
export function consoleProtocolsFor(node: InventoryNode, capabilities: Pick<Capabilities, 'consoles'> | undefined): Array<'rfb' | 'text'> {
  if (node.kind !== 'vm' && node.kind !== 'container') return [];
  const offered = capabilities?.consoles ?? [];
  const order: Array<'rfb' | 'text'> = node.kind === 'vm' ? ['rfb', 'text'] : ['text', 'rfb'];
  return order.filter((p) => offered.includes(p));
}

export function hasConsole(node: InventoryNode, capabilities: Pick<Capabilities, 'consoles'> | undefined): boolean {
  return consoleProtocolsFor(node, capabilities).length > 0;
}
