// Tags and folders a server keeps itself (issue 16), per object, by its native reference.
import type { NodeKind } from '../../../shared/model';

export interface ProviderLabels {
  /** adds and removes tags on one object (XAPI add_tags/remove_tags, Proxmox the guest's `tags`) */
  changeTags(target: { nativeRef: string; kind: NodeKind }, add: readonly string[], remove: readonly string[]): Promise<void>;
  /** false where this server keeps no tags after all (a standalone ESXi host has no custom attributes): Polyvisor keeps them */
  keepsTags?(): boolean;
  /** puts one object in a folder path ("/A/B"), or in none (null) */
  setFolder(target: { nativeRef: string; kind: NodeKind }, folder: string | null): Promise<void>;
  /** the server's own list of empty folders (XenCenter's pool other_config EMPTY_FOLDERS), where it keeps one */
  changeEmptyFolders?(change: (current: string[]) => string[]): Promise<void>;
}
