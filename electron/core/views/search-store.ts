// The saved searches at <home>/searches.json: { version: 1, searches: SavedSearch[] }
// (issue 16). Names are unique; a search is its name and its query text.

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { StoreProblem } from '../../../shared/contract';
import { PolyvisorError } from '../../../shared/errors';
import type { SavedSearch, SavedSearchDraft } from '../../../shared/labels';
import { ProfileFile, ProfileFileStore, type ProfileWatchOptions } from '../util/profile-file';
import { parseWith } from '../util/versioned-json-file';

export const SEARCHES_FILE = 'searches.json';
const SCHEMA_VERSION = 1;

const SearchSchema = z.object({ id: z.string().min(1), name: z.string().min(1), query: z.string(), createdAt: z.string() });
const DocumentSchema = z.object({ searches: z.array(SearchSchema) });
type Document = z.infer<typeof DocumentSchema>;

export class SavedSearchStore extends ProfileFileStore<Document> {
  static async open(home: string, problem: (p: StoreProblem) => void): Promise<SavedSearchStore> {
    const doc = await ProfileFile.open<Document>({
      file: path.join(home, SEARCHES_FILE),
      version: SCHEMA_VERSION,
      empty: () => ({ searches: [] }),
      parse: parseWith(DocumentSchema),
      body: (d) => d,
    });
    doc.onProblem(problem);
    return new SavedSearchStore(doc);
  }

  async list(): Promise<SavedSearch[]> {
    await this.doc.refresh();
    return structuredClone(this.doc.current().searches);
  }

  watch(listener: (after: SavedSearch[]) => void, options: ProfileWatchOptions): void {
    this.follow(({ after }) => listener(structuredClone(after.searches)), options);
  }

  /** A new search, or the one with `id` replaced; another search of the same name is refused. */
  save(draft: SavedSearchDraft, id: string | undefined, now: Date): Promise<SavedSearch> {
    return this.doc.update((d) => {
      const name = draft.name.trim();
      const clash = d.searches.find((s) => s.name.toLowerCase() === name.toLowerCase() && s.id !== id);
      if (clash) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'name', message: `A saved search is already called ${JSON.stringify(clash.name)}.` });
      const current = id ? d.searches.find((s) => s.id === id) : undefined;
      if (id && !current) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No saved search with id ${JSON.stringify(id)}.` });
      const search: SavedSearch = { id: current?.id ?? `search:${randomUUID()}`, name, query: draft.query, createdAt: current?.createdAt ?? now.toISOString() };
      const searches = current ? d.searches.map((s) => (s.id === search.id ? search : s)) : [...d.searches, search];
      return { next: { searches }, result: structuredClone(search) };
    });
  }

  remove(id: string): Promise<void> {
    return this.doc.update((d) => {
      if (!d.searches.some((s) => s.id === id)) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No saved search with id ${JSON.stringify(id)}.` });
      return { next: { searches: d.searches.filter((s) => s.id !== id) }, result: undefined };
    });
  }

  /** Adds the drafts whose name is not saved yet. */
  addMany(drafts: readonly SavedSearchDraft[], now: Date): Promise<{ added: number; skipped: number }> {
    return this.doc.update((d) => {
      const names = new Set(d.searches.map((s) => s.name.toLowerCase()));
      const added: SavedSearch[] = [];
      for (const draft of drafts) {
        const name = draft.name.trim();
        if (!name || names.has(name.toLowerCase())) continue;
        names.add(name.toLowerCase());
        added.push({ id: `search:${randomUUID()}`, name, query: draft.query, createdAt: now.toISOString() });
      }
      return { next: { searches: [...d.searches, ...added] }, result: { added: added.length, skipped: drafts.length - added.length } };
    });
  }
}
