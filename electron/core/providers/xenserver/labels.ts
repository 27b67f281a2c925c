// Tags and folders as XenCenter keeps them on XAPI objects (pools, hosts, VMs, templates, SRs):
// tags in each object's own `tags` field, the folder as a path ("/Production/Web") in the
// `folder` key of its other_config (XenCenter's XenModel Folders.FOLDER), removed when the
// object leaves every folder. Empty folders are listed in the pool's other_config
// EMPTY_FOLDERS, ";"-separated, each path starting with "/".

import { PolyvisorError } from '../../../../shared/errors';
import { folderPath, type LabelsFacet } from '../../../../shared/labels';
import type { NodeKind, Props } from '../../../../shared/model';
import type { ProviderLabels } from '../provider-labels';
import type { ActionContext } from './actions';
import { map, refs, str, type XapiRecord } from './records';

export const FOLDER_KEY = 'folder';
export const EMPTY_FOLDERS_KEY = 'EMPTY_FOLDERS';
export const EMPTY_FOLDERS_SEPARATOR = ';';

/** The labels props of an object's node: its tags, and its folder where it is in one. */
export function labelProps(record: XapiRecord): Props {
  const folder = str(map(record.other_config)[FOLDER_KEY]).trim();
  return { tags: refs(record.tags), ...(folder && folder !== '/' ? { folder } : {}) };
}

/** The pool's empty folders (XenCenter keeps them so a folder with nothing in it survives). */
export function emptyFolders(pool: XapiRecord | undefined): string[] {
  const text = str(map(pool?.other_config)[EMPTY_FOLDERS_KEY]);
  return text ? text.split(EMPTY_FOLDERS_SEPARATOR).filter((p) => p.startsWith('/')) : [];
}

/** The XAPI class of a node kind whose tags and folder XenCenter shows. */
const XAPI_CLASS: Partial<Record<NodeKind, string>> = { pool: 'pool', host: 'host', vm: 'VM', template: 'VM', storage: 'SR', network: 'network' };

/** XenCenter's tags (the `tags` field) and folders (other_config `folder`) written where XenCenter reads them. */
export class XapiLabels implements ProviderLabels {
  constructor(private readonly ctx: ActionContext) {}

  async changeTags(target: { nativeRef: string; kind: NodeKind }, add: readonly string[], remove: readonly string[]): Promise<void> {
    const cls = classOf(target.kind);
    const session = this.ctx.session();
    for (const tag of remove) await session.call(`${cls}.remove_tags`, target.nativeRef, tag);
    for (const tag of add) await session.call(`${cls}.add_tags`, target.nativeRef, tag);
  }

  /** XenCenter's SetEmptyFolders: the pool's EMPTY_FOLDERS rewritten (removed, then added) with the changed list. */
  async changeEmptyFolders(change: (current: string[]) => string[]): Promise<void> {
    const session = this.ctx.session();
    const [pool] = (await session.call('pool.get_all')) as string[];
    if (!pool) throw new PolyvisorError({ code: 'NOT_FOUND', message: 'The server has no pool record.' });
    const current = emptyFolders({ other_config: await session.call('pool.get_other_config', pool) } as XapiRecord);
    const next = [...new Set(change(current))];
    await session.call('pool.remove_from_other_config', pool, EMPTY_FOLDERS_KEY);
    await session.call('pool.add_to_other_config', pool, EMPTY_FOLDERS_KEY, next.join(EMPTY_FOLDERS_SEPARATOR));
  }

  /** As XenCenter's SetOtherConfig: the key removed first (add_to_other_config refuses a key that is there), then added. */
  async setFolder(target: { nativeRef: string; kind: NodeKind }, folder: string | null): Promise<void> {
    const cls = classOf(target.kind);
    const path = folder === null ? null : folderPath(folder);
    const session = this.ctx.session();
    await session.call(`${cls}.remove_from_other_config`, target.nativeRef, FOLDER_KEY);
    if (path) await session.call(`${cls}.add_to_other_config`, target.nativeRef, FOLDER_KEY, path);
  }
}

function classOf(kind: NodeKind): string {
  const cls = XAPI_CLASS[kind];
  if (!cls) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `XenServer keeps no tags or folder on a ${kind}.` });
  return cls;
}

const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** Pools, hosts, VMs, templates and SRs keep XenCenter's tags and folders; what XenCenter shows of them. */
export const XAPI_LABELS_FACET: LabelsFacet = {
  tags: ['pool', 'host', 'vm', 'template', 'storage'],
  tagsWhere: text('Saved on the server as XenServer tags: XenCenter shows the same tags.', '作为 XenServer 标记保存在服务器上：XenCenter 显示相同的标记。'),
  folders: ['pool', 'host', 'vm', 'template', 'storage'],
  emptyFolders: text("Kept in the pool's other_config (EMPTY_FOLDERS): XenCenter shows the same folders.", '保存在池的 other_config（EMPTY_FOLDERS）中：XenCenter 显示相同的文件夹。'),
};
