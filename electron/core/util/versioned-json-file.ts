// The one loader of every local file Polyvisor reads: a `{ version, ... }` JSON document that the app owns. A file that cannot
// be used (bad JSON, wrong shape, a version from a newer app) is never
// overwritten: it is moved aside to `<name>.corrupt-<timestamp>` and reported,
// and the caller starts from an empty document.

import { promises as fs } from 'node:fs';
import type { StoreProblem } from '../../../shared/contract';
import type { z } from 'zod';
import { writeFileAtomic } from './atomic-file';

export interface VersionedFileSpec<T> {
  file: string;
  version: number;
  /** returns the document, or a message saying why the content is unusable */
  parse(doc: Record<string, unknown>): T | string;
  empty(): T;
}

export interface LoadedFile<T> {
  value: T;
  problem?: StoreProblem;
}

export async function loadVersionedFile<T>(spec: VersionedFileSpec<T>): Promise<LoadedFile<T>> {
  let text: string;
  try {
    text = await fs.readFile(spec.file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { value: spec.empty() };
    return { value: spec.empty(), problem: await moveAside(spec.file, `Cannot read the file: ${(e as Error).message}`) };
  }
  const verdict = checkVersionedText(text, spec);
  if (typeof verdict === 'string') return { value: spec.empty(), problem: await moveAside(spec.file, verdict) };
  return { value: verdict };
}

export async function saveVersionedFile(file: string, version: number, body: Record<string, unknown>): Promise<void> {
  await writeFileAtomic(file, serializeVersioned(version, body));
}

/** The text saveVersionedFile writes. */
export function serializeVersioned(version: number, body: Record<string, unknown>): string {
  return `${JSON.stringify({ version, ...body }, null, 2)}\n`;
}

/** The document in `text`, or why it is unusable. */
export function checkVersionedText<T>(text: string, spec: Pick<VersionedFileSpec<T>, 'version' | 'parse'>): T | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `The file is not valid JSON: ${(e as Error).message}`;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'The file does not hold a JSON object.';
  const version = (doc as { version?: unknown }).version;
  if (typeof version !== 'number' || !Number.isInteger(version)) return 'The file has no schema version.';
  if (version > spec.version) {
    return `The file was written by a newer Polyvisor (schema version ${version}; this one reads up to ${spec.version}).`;
  }
  if (version < 1) return `Unknown schema version ${version}.`;
  try {
    return spec.parse(doc as Record<string, unknown>);
  } catch (e) {
    // whatever a hostile or corrupt document makes a parser throw, it is the same verdict: unusable
    return `The file's content is not usable: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** A `parse` for loadVersionedFile from a schema of the document's body. */
export function parseWith<T>(schema: z.ZodType<T>): (doc: Record<string, unknown>) => T | string {
  return (doc) => {
    const result = schema.safeParse(doc);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue.path.map((p) => (typeof p === 'number' ? String(p + 1) : String(p))).join(' › ');
    return `${where ? `${where}: ` : ''}${issue.message}`;
  };
}

/** Moves an unusable file to `<name>.corrupt-<timestamp>` (never overwritten) and says so. */
export async function moveAside(file: string, message: string): Promise<StoreProblem> {
  // Colons are not allowed in Windows file names: the ISO time uses '-' between h, m and s.
  const stamp = new Date().toISOString().replace(/:/g, '-');
  let keptAs = `${file}.corrupt-${stamp}`;
  for (let i = 1; await exists(keptAs); i++) keptAs = `${file}.corrupt-${stamp}-${i}`;
  try {
    await fs.rename(file, keptAs);
  } catch (e) {
    // The file stays where it is; it is still not overwritten until the user saves a change.
    keptAs = file;
    message = `${message} (it could not be moved aside: ${(e as Error).message})`;
  }
  return { file, keptAs, message, at: Date.now() };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
