// The saved searches' export file: { format, version: 1, searches: [{ name, query }] }.
// XenCenter's .xensearch (XML of its own query tree) is read by xensearch-read.ts.

import { z } from 'zod';
import { PolyvisorError } from '../../../shared/errors';
import { SAVED_SEARCHES_FORMAT, type SavedSearch, type SavedSearchDraft } from '../../../shared/labels';

const FILE_VERSION = 1;
const FileSchema = z.object({
  format: z.literal(SAVED_SEARCHES_FORMAT),
  version: z.literal(FILE_VERSION),
  searches: z.array(z.object({ name: z.string().trim().min(1).max(200), query: z.string().max(4096) })).max(10_000),
});

export function exportSearches(searches: readonly SavedSearch[]): string {
  return `${JSON.stringify({ format: SAVED_SEARCHES_FORMAT, version: FILE_VERSION, searches: searches.map(({ name, query }) => ({ name, query })) }, null, 2)}\n`;
}

export function readSearchFile(content: string): SavedSearchDraft[] {
  const text = content.replace(/^\uFEFF/, '').trim();
  if (text.startsWith('<')) throw new PolyvisorError({ code: 'INVALID_INPUT', message: 'This XML file is not a XenCenter saved search (.xensearch): it has no <Search> element.' });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `The file is not JSON: ${(e as Error).message}` });
  }
  const parsed = FileSchema.safeParse(data);
  if (!parsed.success) throw new PolyvisorError({ code: 'INVALID_INPUT', message: `The file is not a Polyvisor saved-search file: ${parsed.error.issues[0]?.path.join('.') || 'format'} ${parsed.error.issues[0]?.message ?? ''}`.trim() });
  return parsed.data.searches;
}
