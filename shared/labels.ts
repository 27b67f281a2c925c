// Tags, folders and saved searches (issue 16): what the platforms keep themselves and
// what Polyvisor keeps in the profile for everything else.

import type { LocalizedText } from './descriptor';
import type { ErrorInfo } from './errors';
import type { NodeKind } from './model';

/** Which node kinds keep their tags and folders on the server, as the provider declares it. */
export interface LabelsFacet {
  /** kinds whose tags the server keeps (XAPI `tags`, Proxmox guest `tags`); others get Polyvisor's own */
  tags: NodeKind[];
  /** where the tags live, in the platform's words (shown in the Edit tags dialog) */
  tagsWhere?: LocalizedText;
  /** where the tags go when this server turns out to keep none after all (a standalone ESXi host): Polyvisor's profile, and why */
  ownTagsWhere?: LocalizedText;
  /** kinds whose tags are shown but fixed once made (Docker labels): no Polyvisor tags are added either */
  fixedTags?: NodeKind[];
  fixedTagsReason?: LocalizedText;
  /** kinds whose folder the server keeps (XAPI other_config `folder`, as XenCenter does); others get Polyvisor's own */
  folders: NodeKind[];
  /** the server keeps folders with nothing in them (XAPI: the pool's other_config EMPTY_FOLDERS): where, in the platform's words */
  emptyFolders?: LocalizedText;
}

/** Polyvisor's own tags and folders, by inventory id, for what the platform keeps none of. */
export type OwnLabels = {
  tags: Record<string, string[]>;
  folders: Record<string, string>;
  /** folders made with nothing in them yet (XenServer keeps its own in the pool's other_config EMPTY_FOLDERS) */
  emptyFolders?: string[];
};

/**
 * A folder path as XenCenter writes it (its FixupRelativePath, then "/" in front): trimmed,
 * tabs as spaces, no empty segments, no spaces around a "/"; "" or "/" is no folder.
 */
export function folderPath(text: string): string | null {
  let name = text.trim().replace(/\t/g, ' ');
  let before: number;
  do {
    before = name.length;
    name = name.replace(/\/\//g, '/').replace(/\/ /g, '/').replace(/ \//g, '/');
  } while (name.length !== before);
  name = name.replace(/^\/+|\/+$/g, '');
  return name ? `/${name}` : null;
}

/** `path` is `root` or a folder below it. */
export const inFolder = (path: string, root: string): boolean => path === root || path.startsWith(`${root}/`);

export interface TagChange {
  add: string[];
  remove: string[];
}

/** What a label change did: the objects changed, and each refusal with its reason. */
export interface LabelOutcome {
  changed: string[];
  failed: Array<{ id: string; name: string; error: ErrorInfo }>;
}

export interface SavedSearch {
  id: string;
  name: string;
  /** the query in the search language */
  query: string;
  createdAt: string;
}

export interface SavedSearchDraft {
  name: string;
  query: string;
}

/**
 * What an import of XenCenter's saved searches (.xensearch) could not take over as it was:
 * a filter Polyvisor's language cannot say (the search is then not imported), a part read
 * more broadly (`approximated`), or a part left out that does not change what is found
 * (`ignored`: the grouping, folder objects). `what` names XenCenter's own element and property.
 */
export interface XenSearchNote {
  search: string;
  kind: 'unsupported' | 'approximated' | 'ignored';
  what: string;
}

export interface SearchImportResult {
  added: number;
  /** already saved under that name */
  skipped: number;
  /** searches not imported because a filter has no equivalent (see notes) */
  refused: number;
  notes: XenSearchNote[];
}

/** A .xensearch export: the XML, and the searches left out because they cannot be said in XenCenter's filters. */
export interface XenSearchExport {
  content: string;
  left: Array<{ search: string; what: string }>;
}

/** The file `searches:export` writes and `searches:import` reads. */
export const SAVED_SEARCHES_FORMAT = 'polyvisor-saved-searches';
