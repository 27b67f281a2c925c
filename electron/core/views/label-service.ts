// Tags and folders (issue 16): each object's go where its platform keeps them (the
// descriptor's labels facet and the provider's labels), everything else's into the
// profile. Docker labels are fixed once a container is made: refused with that reason.

import { PolyvisorError, toErrorInfo } from '../../../shared/errors';
import type { LabelOutcome, LabelsFacet, TagChange } from '../../../shared/labels';
import type { InventoryNode } from '../../../shared/model';
import type { InventoryStore } from '../inventory/inventory-store';
import type { ProviderLabels } from '../providers/provider-labels';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { ConnectionService } from '../services/connections';
import type { OwnLabelStore } from './label-store';

export interface LabelServiceParts {
  servers: ServerStore;
  registry: ProviderRegistry;
  connections: ConnectionService;
  inventory: InventoryStore;
  store: OwnLabelStore;
}

type Where = { kind: 'server'; labels: ProviderLabels } | { kind: 'own' };

const inFolder = (folder: string, root: string) => folder === root || folder.startsWith(`${root}/`);

export class LabelService {
  constructor(private readonly parts: LabelServiceParts) {}

  changeTags(ids: readonly string[], change: TagChange): Promise<LabelOutcome> {
    const add = [...new Set(change.add.map((t) => t.trim()).filter(Boolean))];
    const remove = [...new Set(change.remove)];
    return this.each(ids, 'tags', async (node, where) => {
      if (where.kind === 'server') await where.labels.changeTags(node, add, remove);
      else await this.parts.store.changeTags([node.id], add, remove);
    });
  }

  setFolder(ids: readonly string[], folder: string | null): Promise<LabelOutcome> {
    return this.each(ids, 'folders', async (node, where) => {
      if (where.kind === 'server') await where.labels.setFolder(node, folder);
      else await this.parts.store.changeFolders([node.id], () => folder);
    });
  }

  /** Every object in `from` or below it moves to `to` (keeping its place below), or leaves every folder. */
  async renameFolder(from: string, to: string | null): Promise<LabelOutcome> {
    if (to !== null && inFolder(to, from) && to !== from) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'to', message: `${to} is inside ${from}: a folder cannot move into itself.` });
    const own = await this.parts.store.get();
    const moving: Array<{ id: string; next: string | null }> = [];
    for (const node of this.parts.inventory.all()) {
      const current = (typeof node.props.folder === 'string' ? node.props.folder : undefined) ?? own.folders[node.id];
      if (!current || !inFolder(current, from)) continue;
      moving.push({ id: node.id, next: to === null ? null : `${to}${current.slice(from.length)}` });
    }
    const outcome: LabelOutcome = { changed: [], failed: [] };
    for (const { id, next } of moving) {
      const one = await this.setFolder([id], next);
      outcome.changed.push(...one.changed);
      outcome.failed.push(...one.failed);
    }
    return outcome;
  }

  private async each(ids: readonly string[], what: 'tags' | 'folders', run: (node: InventoryNode, where: Where) => Promise<void>): Promise<LabelOutcome> {
    const outcome: LabelOutcome = { changed: [], failed: [] };
    // one object after another: a server's tags are read-modify-write on some platforms (Proxmox)
    for (const id of ids) {
      const node = this.parts.inventory.get(id);
      try {
        if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
        await run(node, this.where(node, what));
        outcome.changed.push(id);
      } catch (e) {
        outcome.failed.push({ id, name: node?.name ?? id, error: toErrorInfo(e) });
      }
    }
    return outcome;
  }

  private where(node: InventoryNode, what: 'tags' | 'folders'): Where {
    const facet = this.facetOf(node);
    if (what === 'tags' && facet?.fixedTags?.includes(node.kind)) {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: facet.fixedTagsReason?.en ?? `${node.name}'s tags cannot change.` });
    }
    if (!facet?.[what].includes(node.kind)) return { kind: 'own' };
    const labels = this.parts.connections.liveProvider(node.serverId)?.labels;
    if (!labels) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${this.parts.servers.get(node.serverId)?.name ?? 'The server'} is not connected: ${node.name}'s ${what === 'tags' ? 'tags' : 'folder'} live there.` });
    return { kind: 'server', labels };
  }

  private facetOf(node: InventoryNode): LabelsFacet | undefined {
    const type = this.parts.servers.get(node.serverId)?.type;
    return type === undefined ? undefined : this.parts.registry.get(type)?.descriptor.facets.labels;
  }
}
