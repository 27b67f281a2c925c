// Navigation views (issue 16): tags and folders on the servers or in the profile, and saved searches.
import type { LabelOutcome, OwnLabels, SavedSearch, SavedSearchDraft, SearchImportResult, TagChange, XenSearchExport } from '../labels';
import type { LocalizedText } from '../descriptor';

export interface ViewChannels {
  /** Polyvisor's own tags and folders (for what the platform keeps none of) */
  'labels:own': { args: []; result: OwnLabels };
  /** adds and removes tags on each object: on the server where it keeps them, else in the profile */
  'labels:tags': { args: [nodeIds: string[], change: TagChange]; result: LabelOutcome };
  /** where each object's tags go now, in its platform's words (by node id); null: Polyvisor's profile, as the platform keeps none there */
  'labels:tagsWhere': { args: [nodeIds: string[]]; result: Record<string, LocalizedText | null> };
  /** puts each object in a folder ("/Production/Web"), or in none (null) */
  'labels:folder': { args: [nodeIds: string[], folder: string | null]; result: LabelOutcome };
  /** makes an empty folder on this server (XenServer: the pool's other_config EMPTY_FOLDERS, as XenCenter keeps them) or, with null, in the profile; the path as saved */
  'labels:createFolder': { args: [path: string, serverId: string | null]; result: string };
  /** renames a folder (its objects and subfolders follow), or removes it (to: null: its objects leave every folder) */
  'labels:renameFolder': { args: [from: string, to: string | null]; result: LabelOutcome };

  'searches:list': { args: []; result: SavedSearch[] };
  /** saves a new search, or replaces the one with this id */
  'searches:save': { args: [draft: SavedSearchDraft, id?: string]; result: SavedSearch };
  'searches:remove': { args: [id: string]; result: void };
  /** the saved searches (all, or these) as a JSON file's text */
  'searches:export': { args: [ids?: string[]]; result: string };
  /** the saved searches (all, or these) as XenCenter's .xensearch XML, and those its filters cannot say */
  'searches:exportXenSearch': { args: [ids?: string[]]; result: XenSearchExport };
  /** reads an export or a XenCenter .xensearch file: searches whose name is already saved are skipped, what XenCenter's filters say that Polyvisor cannot is named */
  'searches:import': { args: [content: string]; result: SearchImportResult };
}

export const VIEW_CHANNELS: Record<keyof ViewChannels, true> = {
  'labels:own': true,
  'labels:tags': true,
  'labels:tagsWhere': true,
  'labels:folder': true,
  'labels:createFolder': true,
  'labels:renameFolder': true,
  'searches:list': true,
  'searches:save': true,
  'searches:remove': true,
  'searches:export': true,
  'searches:exportXenSearch': true,
  'searches:import': true,
};
