// One server's last known tree on disk: `<home>/last-known/<server id>.json`, a
// versioned, compact document of the nodes the tree showed (last-known-format.ts) —
// what the server sent for the tree and nothing else: no session, ticket, password or
// address beyond what a node itself carries. Written in slices, read by a parse worker
// with the profile's versioned check, so an unusable file is kept aside and reported
// like any other profile file.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StoreProblem } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { parsePool } from '../providers/parse-pool';
import { writeFileAtomic } from '../util/atomic-file';
import { moveAside } from '../util/versioned-json-file';
import { encodeLastKnownSlices, type LastKnownTree } from './last-known-format';
import type { LastKnownReadInit, LastKnownReadResult } from './last-known-read-job';

export type { LastKnownTree } from './last-known-format';

export const LAST_KNOWN_DIR = 'last-known';

export function lastKnownFile(home: string, serverId: string): string {
  // server ids are the store's own (uuid-like); anything else cannot name a file outside the folder
  return path.join(home, LAST_KNOWN_DIR, `${encodeURIComponent(serverId)}.json`);
}

/** Written slice by slice: each slice is encoded while the previous one is being written, never the whole tree in one turn. */
export async function writeLastKnown(home: string, tree: LastKnownTree): Promise<void> {
  await writeFileAtomic(lastKnownFile(home, tree.serverId), asyncSlices(encodeLastKnownSlices(tree)));
}

async function* asyncSlices(slices: Iterable<string>): AsyncGenerator<string> {
  for (const slice of slices) yield slice;
}

export async function removeLastKnown(home: string, serverId: string): Promise<void> {
  await fs.rm(lastKnownFile(home, serverId), { force: true });
}

/** The server ids that have a file (to remove the ones of servers no longer saved). */
export async function listLastKnown(home: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(path.join(home, LAST_KNOWN_DIR));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => decodeURIComponent(n.slice(0, -'.json'.length)));
}

/** The server's tree, undefined without a file; an unusable file is moved aside and `problem` says so. Read by a parse worker. */
export async function readLastKnown(home: string, serverId: string): Promise<{ tree?: LastKnownTree; problem?: StoreProblem }> {
  const file = lastKnownFile(home, serverId);
  const nodes: InventoryNode[] = [];
  const init: LastKnownReadInit = { file, serverId };
  const read = await parsePool().start<LastKnownReadResult>('last-known-read', init, (part) => nodes.push(...(part as InventoryNode[]))).finish();
  if ('missing' in read) return {};
  if ('unusable' in read) return { problem: await moveAside(file, read.unusable) };
  return { tree: { serverId, at: read.at, nodes } };
}
