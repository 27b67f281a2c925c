// Which consoles a node has: what its server offers, narrowed by the kind of node.
import type { Capabilities, InventoryNode } from '../../../shared/model';

/** Always in the same order (Graphical, then Text), whatever the kind of node: the switch never moves. */
export function consoleProtocolsFor(node: InventoryNode, capabilities: Pick<Capabilities, 'consoles'> | undefined): Array<'rfb' | 'text'> {
  if (node.kind !== 'vm' && node.kind !== 'container') return [];
  const offered = capabilities?.consoles ?? [];
  return (['rfb', 'text'] as const).filter((p) => offered.includes(p));
}

/** The console shown first: graphical for a VM, text for a container (its usual way in). */
export function defaultConsoleProtocol(node: InventoryNode, protocols: Array<'rfb' | 'text'>): 'rfb' | 'text' | undefined {
  return node.kind === 'container' && protocols.includes('text') ? 'text' : protocols[0];
}

export function hasConsole(node: InventoryNode, capabilities: Pick<Capabilities, 'consoles'> | undefined): boolean {
  return consoleProtocolsFor(node, capabilities).length > 0;
}
