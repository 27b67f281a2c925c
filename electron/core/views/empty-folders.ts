// Folders with nothing in them (issue 16). XenCenter keeps a pool's in its other_config
// EMPTY_FOLDERS (FolderAction.cs: a new folder is added there, a folder leaves the list when
// an object moves in, a folder an object's move leaves empty is added back, a renamed or
// deleted folder's entries follow); the XAPI provider reads them into the pool node's
// props.emptyFolders. Everything else's empty folders are Polyvisor's own, in labels.json.

import { PolyvisorError } from '../../../shared/errors';
import { inFolder } from '../../../shared/labels';
import type { InventoryStore } from '../inventory/inventory-store';
import type { ProviderLabels } from '../providers/provider-labels';
import type { ConnectionService } from '../services/connections';
import type { OwnLabelStore } from './label-store';

type Change = (current: string[]) => string[];

/** Where an empty folder lives: one server's own list, or Polyvisor's. */
export type EmptyFolderHome = { serverId: string } | null;

export class EmptyFolders {
  constructor(
    private readonly parts: { inventory: InventoryStore; connections: ConnectionService; store: OwnLabelStore },
  ) {}

  /** The connected server's keeper of empty folders, if its platform keeps any. */
  keeper(serverId: string): Required<Pick<ProviderLabels, 'changeEmptyFolders'>> | undefined {
    const labels = this.parts.connections.liveProvider(serverId)?.labels;
    return labels?.changeEmptyFolders ? { changeEmptyFolders: (c) => labels.changeEmptyFolders!(c) } : undefined;
  }

  /** Every empty folder Polyvisor knows of: the servers' (their pool nodes' props) and its own. */
  async all(): Promise<Array<{ path: string; home: EmptyFolderHome }>> {
    const out: Array<{ path: string; home: EmptyFolderHome }> = [];
    for (const node of this.parts.inventory.all()) {
      if (node.kind !== 'pool' || !Array.isArray(node.props.emptyFolders)) continue;
      for (const path of node.props.emptyFolders) if (typeof path === 'string') out.push({ path, home: { serverId: node.serverId } });
    }
    for (const path of (await this.parts.store.get()).emptyFolders ?? []) out.push({ path, home: null });
    return out;
  }

  async add(path: string, home: EmptyFolderHome): Promise<void> {
    await this.change(home, (list) => (list.includes(path) ? list : [...list, path]));
  }

  /** Applies `change` to every list that holds a path in `root` (rename or delete a folder, or one filled). */
  async changeEverywhere(root: string, change: (path: string) => string | null, exact = false): Promise<void> {
    const holders = new Map<string, EmptyFolderHome>();
    for (const { path, home } of await this.all()) {
      if (exact ? path !== root : !inFolder(path, root)) continue;
      holders.set(home ? home.serverId : '', home);
    }
    const rewrite: Change = (list) => list.flatMap((p) => ((exact ? p === root : inFolder(p, root)) ? [change(p)].filter((x): x is string => x !== null) : [p]));
    for (const home of holders.values()) await this.change(home, rewrite);
  }

  private async change(home: EmptyFolderHome, change: Change): Promise<void> {
    if (home === null) {
      await this.parts.store.changeEmptyFolders(change);
      return;
    }
    const keeper = this.keeper(home.serverId);
    if (!keeper) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'The server that keeps this empty folder is not connected.' });
    await keeper.changeEmptyFolders(change);
  }
}
