// One datastore searched with its own HostDatastoreBrowser (SearchDatastoreSubFolders_Task):
// the files a query matches in every folder, each with its datastore path and the FileInfo
// the server sent (IsoImageFileInfo, VmDiskFileInfo …). The ISO choices of a new VM and the
// disk files a VM may attach both come from here.

import type { TaskReporter } from '../provider';
import { followTask, taskRef } from './tasks';
import type { VimClient } from './vim-client';
import { childText, children, el, xsiType, type ManagedObjectReference, type Xml, type XmlNode } from './xml';

export interface SearchedDatastore {
  name: string;
  browser: ManagedObjectReference;
}

export interface FileQuery {
  /** the FileQuery subtype: IsoImageFileQuery, VmDiskFileQuery … */
  type: string;
  /** the query's own details (VmDiskFileQueryFlags for a disk query) */
  details?: Xml[];
  /** e.g. "*.vmdk"; the simulator lists nothing without a pattern */
  pattern: string;
}

export interface FoundFile {
  /** "[datastore] folder/file" */
  path: string;
  /** the path without its datastore: "folder/file" */
  name: string;
  /** the FileInfo as sent */
  info: XmlNode;
}

export async function searchDatastore(client: VimClient, ds: SearchedDatastore, query: FileQuery, task: TaskReporter, what: string): Promise<FoundFile[]> {
  const spec = el('searchSpec', [
    el('query', query.details?.length ? el('details', query.details) : '', { 'xsi:type': query.type }),
    el('details', [el('fileType', true), el('fileSize', true), el('modification', false), el('fileOwner', false)]),
    el('matchPattern', query.pattern),
  ]);
  const returned = await client.call('SearchDatastoreSubFolders_Task', ds.browser, [el('datastorePath', `[${ds.name}]`), spec]);
  const outcome = await followTask(client, taskRef(returned, 'SearchDatastoreSubFolders_Task'), task, what);
  return children(outcome.result, 'HostDatastoreBrowserSearchResults').flatMap((results) => {
    const folder = childText(results, 'folderPath')?.trim() ?? `[${ds.name}]`;
    return children(results, 'file')
      .filter((f) => xsiType(f) !== 'FolderFileInfo')
      .map((info) => {
        const path = datastoreFilePath(folder, childText(info, 'path')?.trim() ?? '');
        return { path, name: path.replace(/^\[[^\]]*\]\s*/, ''), info };
      });
  });
}

/** "[ds] folder/" + "x.iso" → "[ds] folder/x.iso"; also takes "[ds]/folder" as some servers write it. */
export function datastoreFilePath(folderPath: string, file: string): string {
  const match = /^\[([^\]]*)\]\s*(.*)$/.exec(folderPath.trim());
  if (!match) return file;
  const folder = match[2].replace(/^\/+/, '').replace(/\/+$/, '');
  return `[${match[1]}] ${folder ? `${folder}/` : ''}${file}`;
}
