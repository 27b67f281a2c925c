// The navigation views' part of the core (issue 16): tags and folders (on the servers or
// in the profile) and the saved searches, with their channel handlers and events.

import type { ChannelHandlers, EventMap, StoreProblem } from '../../../shared/contract';
import type { ViewChannels } from '../../../shared/channels/views';
import type { InventoryStore } from '../inventory/inventory-store';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { ConnectionService } from '../services/connections';
import type { ProfileWatchOptions } from '../util/profile-file';
import { OwnLabelStore } from './label-store';
import { LabelService } from './label-service';
import { exportSearches, readSearchFile } from './search-file';
import { SavedSearchStore } from './search-store';
import { isXenSearch, readXenSearch, type UuidNames } from './xensearch-read';
import { writeXenSearch } from './xensearch-write';

export interface ViewsParts {
  home: string;
  servers: ServerStore;
  registry: ProviderRegistry;
  connections: ConnectionService;
  inventory: InventoryStore;
  emit: <E extends 'labels:changed' | 'searches:changed'>(event: E, payload: EventMap[E]) => void;
  problem: (p: StoreProblem) => void;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  now?: () => Date;
}

export interface Views {
  handlers: Pick<ChannelHandlers, keyof ViewChannels>;
  problems: StoreProblem[];
  /** follows labels.json and searches.json changed by another process (the CLI) */
  start(watch?: Partial<ProfileWatchOptions>): void;
  stop(): void;
}

export async function createViews(parts: ViewsParts): Promise<Views> {
  const [labels, searches] = await Promise.all([OwnLabelStore.open(parts.home, parts.problem), SavedSearchStore.open(parts.home, parts.problem)]);
  const service = new LabelService({ ...parts, store: labels });
  const now = parts.now ?? (() => new Date());
  const labelsChanged = async () => parts.emit('labels:changed', await labels.get());
  const searchesChanged = async () => parts.emit('searches:changed', { searches: await searches.list() });
  const afterLabels = async <T>(result: Promise<T>): Promise<T> => {
    const value = await result;
    await labelsChanged();
    return value;
  };
  const afterSearches = async <T>(result: Promise<T>): Promise<T> => {
    const value = await result;
    await searchesChanged();
    return value;
  };
  // XenCenter names a pool or a host by its uuid in some filters: the connected ones' names
  const namesByUuid: UuidNames = (uuid) => parts.inventory.all().find((n) => (n.kind === 'pool' || n.kind === 'host') && n.props.uuid === uuid)?.name;
  const importSearches = async (content: string) => {
    if (!isXenSearch(content)) return { ...(await searches.addMany(readSearchFile(content), now())), refused: 0, notes: [] };
    const read = readXenSearch(content, namesByUuid);
    for (const n of read.notes) parts.log?.('info', `XenCenter search ${JSON.stringify(n.search)}: ${n.kind} ${n.what}`);
    return { ...(await searches.addMany(read.drafts, now())), refused: read.refused, notes: read.notes };
  };
  return {
    problems: [labels.problem, searches.problem].filter((p): p is StoreProblem => !!p),
    handlers: {
      'labels:own': () => labels.get(),
      'labels:tags': (ids, change) => afterLabels(service.changeTags(ids, change)),
      'labels:tagsWhere': async (ids) => service.tagsWhere(ids),
      'labels:folder': (ids, folder) => afterLabels(service.setFolder(ids, folder)),
      'labels:createFolder': (path, serverId) => afterLabels(service.createFolder(path, serverId)),
      'labels:renameFolder': (from, to) => afterLabels(service.renameFolder(from, to)),
      'searches:list': () => searches.list(),
      'searches:save': (draft, id) => afterSearches(searches.save(draft, id, now())),
      'searches:remove': (id) => afterSearches(searches.remove(id)),
      'searches:export': async (ids) => exportSearches((await searches.list()).filter((s) => !ids || ids.includes(s.id))),
      'searches:exportXenSearch': async (ids) => writeXenSearch((await searches.list()).filter((s) => !ids || ids.includes(s.id))),
      'searches:import': (content) => afterSearches(importSearches(content)),
    },
    start(watch) {
      const options: ProfileWatchOptions = { onError: (e) => parts.log?.('warn', `Following the saved labels or searches failed: ${e.message}`), onProblem: parts.problem, ...watch };
      labels.watch((after) => parts.emit('labels:changed', after), options);
      searches.watch((after) => parts.emit('searches:changed', { searches: after }), options);
    },
    stop() {
      labels.close();
      searches.close();
    },
  };
}
