// Which consoles a node has: what its server offers, narrowed by the kind of node.
import type { ProviderFacets } from '../../../shared/descriptor';
import type { Capabilities, InventoryNode } from '../../../shared/model';

type HostFacets = Partial<Pick<ProviderFacets, 'hostConsole' | 'externalViewers'>>;

/** Always in the same order (Graphical, then Text), whatever the kind of node: the switch never moves. */
export function consoleProtocolsFor(node: InventoryNode, capabilities: Pick<Capabilities, 'consoles'> | undefined, facets?: HostFacets): Array<'rfb' | 'text'> {
  const offered = capabilities?.consoles ?? [];
  // a host's console is its shell (Proxmox node, XAPI control domain): text only
  if (node.kind === 'host') return facets?.hostConsole && offered.includes('text') ? ['text'] : [];
  if (node.kind !== 'vm' && node.kind !== 'container') return [];
  return (['rfb', 'text'] as const).filter((p) => offered.includes(p));
}

/** The console shown first: graphical for a VM, text for a container (its usual way in). */
export function defaultConsoleProtocol(node: InventoryNode, protocols: Array<'rfb' | 'text'>): 'rfb' | 'text' | undefined {
  return node.kind === 'container' && protocols.includes('text') ? 'text' : protocols[0];
}

/**
 * Whether the node has a Console tab: every host has one (it says when the platform gives
 * hosts no console), a guest where it has a console in the window or a viewer outside it.
 */
export function hasConsole(node: InventoryNode, capabilities: Pick<Capabilities, 'consoles'> | undefined, facets?: HostFacets): boolean {
  if (node.kind === 'host') return true;
  if (consoleProtocolsFor(node, capabilities, facets).length > 0) return true;
  return node.kind === 'vm' && (facets?.externalViewers?.length ?? 0) > 0;
}

/** Whether a pool or host has a grid of its VMs' live screens: its server offers graphical consoles. */
export function hasConsoleGrid(node: InventoryNode, capabilities: Pick<Capabilities, 'consoles'> | undefined): boolean {
  return (node.kind === 'pool' || node.kind === 'host') && (capabilities?.consoles ?? []).includes('rfb');
}
