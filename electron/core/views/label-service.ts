// Tags and folders (issue 16): each object's go where its platform keeps them (the
// descriptor's labels facet and the provider's labels), everything else's into the
// profile. Docker labels are fixed once a container is made: refused with that reason.

import type { LocalizedText } from '../../../shared/descriptor';
import { PolyvisorError, toErrorInfo } from '../../../shared/errors';
import { folderPath, inFolder, type LabelOutcome, type LabelsFacet, type OwnLabels, type TagChange } from '../../../shared/labels';
import type { InventoryNode } from '../../../shared/model';
import type { InventoryStore } from '../inventory/inventory-store';
import type { ProviderLabels } from '../providers/provider-labels';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { ConnectionService } from '../services/connections';
import { EmptyFolders } from './empty-folders';
import type { OwnLabelStore } from './label-store';

export interface LabelServiceParts {
  servers: ServerStore;
  registry: ProviderRegistry;
  connections: ConnectionService;
  inventory: InventoryStore;
  store: OwnLabelStore;
}

type Where = { kind: 'server'; labels: ProviderLabels } | { kind: 'own' };

export class LabelService {
  private readonly empty: EmptyFolders;

  constructor(private readonly parts: LabelServiceParts) {
    this.empty = new EmptyFolders(parts);
  }

  changeTags(ids: readonly string[], change: TagChange): Promise<LabelOutcome> {
    const add = [...new Set(change.add.map((t) => t.trim()).filter(Boolean))];
    const remove = [...new Set(change.remove)];
    return this.each(ids, 'tags', async (node, where) => {
      if (where.kind === 'server') await where.labels.changeTags(node, add, remove);
      // a tag Polyvisor kept before the server could (vSphere before issue 16) is removed where it is
      const ownTags = (await this.parts.store.get()).tags[node.id] ?? [];
      if (where.kind === 'own' || ownTags.some((t) => remove.includes(t))) await this.parts.store.changeTags([node.id], where.kind === 'own' ? add : [], remove);
    });
  }

  /**
   * Where each object's tags go now, as changeTags would put them: the platform's words where the server
   * keeps them (also while it is not connected), the facet's reason where this server keeps none after all
   * (a standalone ESXi host), null for Polyvisor's profile.
   */
  tagsWhere(ids: readonly string[]): Record<string, LocalizedText | null> {
    const out: Record<string, LocalizedText | null> = {};
    for (const id of ids) {
      const node = this.parts.inventory.get(id);
      const facet = node && this.facetOf(node);
      if (!node || !facet?.tags.includes(node.kind)) out[id] = null;
      else if (this.parts.connections.liveProvider(node.serverId)?.labels?.keepsTags?.() === false) out[id] = facet.ownTagsWhere ?? null;
      else out[id] = facet.tagsWhere ?? null;
    }
    return out;
  }

  /** Moves objects into a folder (or none); a folder this leaves empty is kept as an empty folder, as XenCenter does. */
  setFolder(ids: readonly string[], folder: string | null): Promise<LabelOutcome> {
    return this.move(ids, folder === null ? null : folderPath(folder), true);
  }

  /** XenCenter's New Folder: an empty folder in the server's own list (XenServer: the pool's EMPTY_FOLDERS) or, without a server, in the profile. */
  async createFolder(text: string, serverId: string | null): Promise<string> {
    const path = folderPath(text);
    if (!path) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'path', message: `"${text}" is not a folder path (for example /Production/Web).` });
    if (serverId !== null && !this.empty.keeper(serverId)) {
      throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${this.parts.servers.get(serverId)?.name ?? 'The server'} keeps no folders of its own (or is not connected): make the folder in your Polyvisor profile.` });
    }
    if (await this.inUse(path, new Set())) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'path', message: `The folder ${path} already exists.` });
    await this.empty.add(path, serverId === null ? null : { serverId });
    return path;
  }

  /** Every object in `from` or below it moves to `to` (keeping its place below), or leaves every folder; empty folders follow. */
  async renameFolder(from: string, to: string | null): Promise<LabelOutcome> {
    if (to !== null && inFolder(to, from) && to !== from) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'to', message: `${to} is inside ${from}: a folder cannot move into itself.` });
    const own = await this.parts.store.get();
    const moving = new Map<string | null, string[]>();
    for (const node of this.parts.inventory.all()) {
      const current = folderOf(node, own);
      if (!current || !inFolder(current, from)) continue;
      const next = to === null ? null : `${to}${current.slice(from.length)}`;
      moving.set(next, [...(moving.get(next) ?? []), node.id]);
    }
    const outcome: LabelOutcome = { changed: [], failed: [] };
    for (const [next, ids] of moving) {
      const one = await this.move(ids, next, false);
      outcome.changed.push(...one.changed);
      outcome.failed.push(...one.failed);
    }
    await this.empty.changeEverywhere(from, (p) => (to === null ? null : `${to}${p.slice(from.length)}`));
    return outcome;
  }

  private async move(ids: readonly string[], folder: string | null, keepLeftEmpty: boolean): Promise<LabelOutcome> {
    const own = await this.parts.store.get();
    const left = new Map<string, InventoryNode>();
    const outcome = await this.each(ids, 'folders', async (node, where) => {
      const before = folderOf(node, own);
      if (where.kind === 'server') await where.labels.setFolder(node, folder);
      else await this.parts.store.changeFolders([node.id], () => folder);
      if (before && before !== folder) left.set(before, node);
    });
    // a folder that has an object now is no longer an empty one
    if (folder && outcome.changed.length) await this.empty.changeEverywhere(folder, () => null, true);
    if (keepLeftEmpty) {
      const moved = new Set(outcome.changed);
      for (const [path, node] of left) {
        if ((folder && inFolder(folder, path)) || (await this.inUse(path, moved))) continue;
        await this.empty.add(path, this.where(node, 'folders').kind === 'server' && this.empty.keeper(node.serverId) ? { serverId: node.serverId } : null);
      }
    }
    return outcome;
  }

  /** Whether an object other than `except` is in `path` or below it, or an empty folder is there. */
  private async inUse(path: string, except: ReadonlySet<string>): Promise<boolean> {
    const own = await this.parts.store.get();
    for (const node of this.parts.inventory.all()) {
      if (except.has(node.id)) continue;
      const folder = folderOf(node, own);
      if (folder && inFolder(folder, path)) return true;
    }
    return (await this.empty.all()).some((e) => inFolder(e.path, path));
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
    if (what === 'tags' && labels.keepsTags?.() === false) return { kind: 'own' };
    return { kind: 'server', labels };
  }

  private facetOf(node: InventoryNode): LabelsFacet | undefined {
    const type = this.parts.servers.get(node.serverId)?.type;
    return type === undefined ? undefined : this.parts.registry.get(type)?.descriptor.facets.labels;
  }
}

/** The folder an object is in: the platform's (props.folder) or Polyvisor's own. */
function folderOf(node: InventoryNode, own: OwnLabels): string | undefined {
  return (typeof node.props.folder === 'string' && node.props.folder !== '' ? node.props.folder : undefined) ?? own.folders[node.id];
}
