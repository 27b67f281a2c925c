// Which viewers outside the window a node may open (issue 18), and the answer of the
// last attempt per node and viewer, for the Console tab to show (opened, the link or
// file to use, or what to install).
import { create } from 'zustand';
import type { ProviderFacets } from '../../../shared/descriptor';
import type { ExternalConsole, ExternalViewer } from '../../../shared/external-consoles';
import { guestAddress, osFamily } from '../../../shared/external-consoles';
import type { ErrorInfo } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';

/** Why this node cannot open in the viewer, as an i18n key; null when it can. */
export function viewerBlock(node: InventoryNode, viewer: ExternalViewer, facets: Partial<Pick<ProviderFacets, 'externalViewers' | 'guestAgentFacts'>> | undefined): string | null {
  if (!(facets?.externalViewers ?? []).includes(viewer)) return 'console.external.notOffered';
  if (node.kind !== 'vm') return 'console.external.vmOnly';
  if (viewer === 'vmrc') return null;
  if (node.state !== 'running') return 'console.external.notRunning';
  if (viewer === 'spice') return null;
  // the guest agent is asked when the user picks it; the core says why when it does not answer
  if (facets?.guestAgentFacts && !(osFamily(node.props.os) && guestAddress(node.props.ips))) return null;
  const family = osFamily(node.props.os);
  if (family !== (viewer === 'rdp' ? 'windows' : 'linux')) return viewer === 'rdp' ? 'console.external.notWindows' : 'console.external.notLinux';
  return guestAddress(node.props.ips) ? null : 'console.external.noAddress';
}

export type ViewerOutcome = { viewer: ExternalViewer; answer?: ExternalConsole; error?: ErrorInfo };

interface OutcomeState {
  byNode: Record<string, ViewerOutcome | undefined>;
}

export const useViewerOutcomes = create<OutcomeState>(() => ({ byNode: {} }));

export function recordOutcome(nodeId: string, outcome: ViewerOutcome): void {
  useViewerOutcomes.setState((s) => ({ byNode: { ...s.byNode, [nodeId]: outcome } }));
}

/** A file the page offers (web mode) as a download link's address. */
export function fileHref(file: { content: string }): string {
  return `data:application/octet-stream;charset=utf-8,${encodeURIComponent(file.content)}`;
}
