// What the views ask of the core (labels:* and searches:* channels) and the events that
// keep Polyvisor's own tags, folders and the saved searches live.
import type { PolyvisorClient } from '../../../shared/contract';
import type { LocalizedText } from '../../../shared/descriptor';
import { toErrorInfo } from '../../../shared/errors';
import type { LabelOutcome, SavedSearch, SavedSearchDraft, SearchImportResult, TagChange, XenSearchExport } from '../../../shared/labels';
import { getClient } from '../client';
import i18n from '../i18n';
import { storeActions } from '../store/store';
import { viewActions } from './view-store';

const client = () => getClient().client;

export function listenToViews(c: PolyvisorClient): void {
  c.on('labels:changed', (labels) => viewActions.setOwnLabels(labels));
  c.on('searches:changed', ({ searches }) => viewActions.setSavedSearches(searches));
}

export async function loadViews(): Promise<void> {
  try {
    const [labels, searches] = await Promise.all([client().invoke('labels:own'), client().invoke('searches:list')]);
    viewActions.setOwnLabels(labels);
    viewActions.setSavedSearches(searches);
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('views.loadFailed'));
  }
}

/** Calls the core; a refusal comes back as ErrorInfo for the dialog to show. */
async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    throw toErrorInfo(e);
  }
}

export const changeTags = (ids: string[], change: TagChange): Promise<LabelOutcome> => call(() => client().invoke('labels:tags', ids, change));
export const tagsWhere = (ids: string[]): Promise<Record<string, LocalizedText | null>> => call(() => client().invoke('labels:tagsWhere', ids));
export const moveToFolder = (ids: string[], folder: string | null): Promise<LabelOutcome> => call(() => client().invoke('labels:folder', ids, folder));
export const createFolder = (path: string, serverId: string | null): Promise<string> => call(() => client().invoke('labels:createFolder', path, serverId));
export const renameFolder = (from: string, to: string | null): Promise<LabelOutcome> => call(() => client().invoke('labels:renameFolder', from, to));
export const saveSearch = (draft: SavedSearchDraft, id?: string): Promise<SavedSearch> => call(() => (id ? client().invoke('searches:save', draft, id) : client().invoke('searches:save', draft)));
export const removeSearch = (id: string): Promise<void> => call(() => client().invoke('searches:remove', id));
export const exportSearches = (): Promise<string> => call(() => client().invoke('searches:export'));
export const exportXenSearch = (): Promise<XenSearchExport> => call(() => client().invoke('searches:exportXenSearch'));
export const importSearches = (content: string): Promise<SearchImportResult> => call(() => client().invoke('searches:import', content));
