// Hands a node to a viewer outside the window (issue 18): VMware Remote Console and
// SPICE from the platform (a clone ticket, a spiceproxy answer), Remote Desktop and
// SSH from what the guest reported (its OS and address). Where the host can open
// things (Electron) it does so with the OS's program and the secret stays here;
// otherwise (web mode) the page gets the link or the file to offer.

import type { ExternalConsole, ExternalViewer } from '../../../shared/external-consoles';
import { guestAddress, osFamily } from '../../../shared/external-consoles';
import { PolyvisorError } from '../../../shared/errors';
import type { InventoryNode } from '../../../shared/model';
import { writePrivateFile, type PrivateFile } from '../console/private-file';
import type { ExternalConsoleMaterial, Provider } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { InventoryStore } from '../inventory/inventory-store';
import type { ConnectionService } from './connections';

/** What the host can open (Electron: shell.openExternal and the OS's programs). */
export interface ExternalLauncher {
  /** a program on this machine takes the viewer's link or file */
  available(viewer: ExternalViewer): Promise<boolean>;
  open(viewer: ExternalViewer, target: { link: string } | { path: string }): Promise<void>;
}

/** How long a written viewer file may wait for its viewer to read it. */
const FILE_TTL_MS = 60_000;

export class ExternalConsoleService {
  private readonly files = new Set<PrivateFile>();

  constructor(
    private readonly servers: ServerStore,
    private readonly registry: ProviderRegistry,
    private readonly connections: ConnectionService,
    private readonly inventory: InventoryStore,
    private readonly launcher?: ExternalLauncher,
    private readonly log?: (level: 'info' | 'warn', message: string) => void,
    private readonly fileTtlMs = FILE_TTL_MS,
  ) {}

  async open(id: string, viewer: ExternalViewer): Promise<ExternalConsole> {
    const node = this.inventory.get(id);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
    const server = this.servers.require(node.serverId);
    if (!(this.registry.require(server.type).descriptor.facets.externalViewers ?? []).includes(viewer)) {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${server.name} offers no ${VIEWER_NAMES[viewer]}.` });
    }
    const provider = this.connections.liveProvider(node.serverId);
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${server.name} is not connected.` });
    // asked before a ticket is spent: without a program there is nothing to hand it to
    if (this.launcher && !(await this.launcher.available(viewer))) return { viewer, opened: false, handlerMissing: true };
    const material = await this.materialFor(node, provider, viewer);
    if (!this.launcher) return { viewer, opened: false, ...material };
    if ('link' in material) {
      await this.launcher.open(viewer, { link: material.link });
    } else {
      const file = await writePrivateFile(material.file.name, material.file.content);
      this.files.add(file);
      setTimeout(() => void this.remove(file), this.fileTtlMs).unref();
      await this.launcher.open(viewer, { path: file.path });
    }
    this.log?.('info', `opened ${node.name} in ${VIEWER_NAMES[viewer]}`); // never the link or the file: they hold tickets
    return { viewer, opened: true };
  }

  /** removes viewer files not read yet (app stopping) */
  async close(): Promise<void> {
    await Promise.all([...this.files].map((f) => this.remove(f)));
  }

  private async remove(file: PrivateFile): Promise<void> {
    if (!this.files.delete(file)) return;
    await file.remove().catch((e: unknown) => this.log?.('warn', `Removing a viewer file failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  private async materialFor(node: InventoryNode, provider: Provider, viewer: ExternalViewer): Promise<ExternalConsoleMaterial> {
    if (viewer === 'rdp' || viewer === 'ssh') {
      const known = osFamily(node.props.os) !== null && guestAddress(node.props.ips) !== null;
      if (known || !provider.guestFacts || node.state !== 'running') return guestMaterial(node, viewer);
      // the platform keeps them out of the inventory (Proxmox: the guest agent): asked now
      const facts = await provider.guestFacts({ nativeRef: node.nativeRef, kind: node.kind });
      return guestMaterial({ ...node, props: { ...node.props, os: facts.os, ips: facts.ips } }, viewer);
    }
    if (node.kind !== 'vm') throw new PolyvisorError({ code: 'UNSUPPORTED', message: `A ${node.kind} does not open in ${VIEWER_NAMES[viewer]}.` });
    if (!provider.externalConsole) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `This server offers no ${VIEWER_NAMES[viewer]}.` });
    return provider.externalConsole({ nativeRef: node.nativeRef, kind: node.kind }, viewer);
  }
}

const VIEWER_NAMES: Record<ExternalViewer, string> = { vmrc: 'VMware Remote Console', spice: 'SPICE viewer', rdp: 'Remote Desktop', ssh: 'SSH' };

/** Remote Desktop for a Windows guest, SSH for a Linux one, at the address the guest reported. */
export function guestMaterial(node: Pick<InventoryNode, 'name' | 'kind' | 'state' | 'props'>, viewer: 'rdp' | 'ssh'): ExternalConsoleMaterial {
  const family = osFamily(node.props.os);
  const wanted = viewer === 'rdp' ? 'windows' : 'linux';
  if (node.kind !== 'vm' || family !== wanted) {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${node.name} is not known to run ${viewer === 'rdp' ? 'Windows' : 'Linux'}: ${VIEWER_NAMES[viewer]} is offered only then.` });
  }
  const address = guestAddress(node.props.ips);
  if (!address || node.state !== 'running') {
    throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${node.name} has reported no address (it needs to run with its guest tools or agent).` });
  }
  const host = address.includes(':') ? `[${address}]` : address;
  if (viewer === 'ssh') return { link: `ssh://${host}` };
  const safeName = node.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'guest';
  // the client asks for the account itself: no guest reports who may log in
  return { file: { name: `${safeName}.rdp`, content: `full address:s:${host}\r\nprompt for credentials:i:1\r\n` } };
}
