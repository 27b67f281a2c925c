// Polyvisor's own tags and folders at <home>/labels.json: { version: 1, tags: {id: [tag]},
// folders: {id: path}, emptyFolders?: [path] } — for the objects whose platform keeps none (issue 16). The app and
// the CLI both write it (a profile file: each change applied to what is on disk).

import path from 'node:path';
import { z } from 'zod';
import type { StoreProblem } from '../../../shared/contract';
import type { OwnLabels } from '../../../shared/labels';
import { ProfileFile, ProfileFileStore, type ProfileWatchOptions } from '../util/profile-file';
import { parseWith } from '../util/versioned-json-file';

export const LABELS_FILE = 'labels.json';
const SCHEMA_VERSION = 1;

const DocumentSchema = z.object({ tags: z.record(z.string(), z.array(z.string())), folders: z.record(z.string(), z.string()), emptyFolders: z.array(z.string()).optional() });

export class OwnLabelStore extends ProfileFileStore<OwnLabels> {
  static async open(home: string, problem: (p: StoreProblem) => void): Promise<OwnLabelStore> {
    const doc = await ProfileFile.open<OwnLabels>({
      file: path.join(home, LABELS_FILE),
      version: SCHEMA_VERSION,
      empty: () => ({ tags: {}, folders: {} }),
      parse: parseWith(DocumentSchema),
      body: (d) => d,
    });
    doc.onProblem(problem);
    return new OwnLabelStore(doc);
  }

  async get(): Promise<OwnLabels> {
    await this.doc.refresh();
    return structuredClone(this.doc.current());
  }

  watch(listener: (after: OwnLabels) => void, options: ProfileWatchOptions): void {
    this.follow(({ after }) => listener(structuredClone(after)), options);
  }

  /** Adds and removes tags of these objects (an object left with none is dropped from the file). */
  changeTags(ids: readonly string[], add: readonly string[], remove: readonly string[]): Promise<OwnLabels> {
    return this.doc.update((d) => {
      const tags = { ...d.tags };
      for (const id of ids) {
        const next = [...new Set([...(tags[id] ?? []).filter((t) => !remove.includes(t)), ...add])];
        if (next.length) tags[id] = next;
        else delete tags[id];
      }
      const next = { ...d, tags };
      return { next, result: structuredClone(next) };
    });
  }

  /** `folderOf` gives each object's new folder (null: none) from its current one. */
  changeFolders(ids: readonly string[], folderOf: (current: string | undefined) => string | null): Promise<OwnLabels> {
    return this.doc.update((d) => {
      const folders = { ...d.folders };
      for (const id of ids) {
        const next = folderOf(folders[id]);
        if (next) folders[id] = next;
        else delete folders[id];
      }
      const next = { ...d, folders };
      return { next, result: structuredClone(next) };
    });
  }

  /** Polyvisor's own empty folders, changed by `change` (none left: the key is dropped). */
  changeEmptyFolders(change: (current: string[]) => string[]): Promise<OwnLabels> {
    return this.doc.update((d) => {
      const empty = [...new Set(change(d.emptyFolders ?? []))];
      const { emptyFolders: _, ...rest } = d;
      const next = empty.length ? { ...rest, emptyFolders: empty } : rest;
      return { next, result: structuredClone(next) };
    });
  }
}
