// One server's last known tree on disk: `<home>/last-known/<server id>.json`, a
// versioned, compact document of the nodes the tree showed — what the server sent
// for the tree and nothing else: no session, ticket, password or address beyond
// what a node itself carries. Read through the profile's one versioned loader, so
// an unusable file is kept aside and reported like any other profile file.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StoreProblem } from '../../../shared/contract';
import { EVENT_PAYLOADS } from '../../../shared/contract-schemas';
import type { InventoryNode } from '../../../shared/model';
import { writeFileAtomic } from '../util/atomic-file';
import { loadVersionedFile } from '../util/versioned-json-file';

export const LAST_KNOWN_DIR = 'last-known';
const SCHEMA_VERSION = 1;

export interface LastKnownTree {
  serverId: string;
  /** when the tree was last known to be the server's (ms since the epoch) */
  at: number;
  /** the nodes below the server node, with no actions allowed (nothing can be asked of a server that is not there) */
  nodes: InventoryNode[];
}

export function lastKnownFile(home: string, serverId: string): string {
  // server ids are the store's own (uuid-like); anything else cannot name a file outside the folder
  return path.join(home, LAST_KNOWN_DIR, `${encodeURIComponent(serverId)}.json`);
}

/** The compact text: ids without the server's prefix, no serverId or allowed per node, no indentation. */
export function encodeLastKnown(tree: LastKnownTree): string {
  const prefix = `${tree.serverId}:`;
  const strip = (id: string | null) => (id !== null && id.startsWith(prefix) ? id.slice(prefix.length) : id);
  const nodes = tree.nodes.map(({ serverId: _server, allowed: _allowed, id, parentId, ...rest }) => ({ ...rest, id: strip(id), parentId: strip(parentId) }));
  return `${JSON.stringify({ version: SCHEMA_VERSION, serverId: tree.serverId, at: tree.at, nodes })}\n`;
}

export async function writeLastKnown(home: string, tree: LastKnownTree): Promise<void> {
  await writeFileAtomic(lastKnownFile(home, tree.serverId), encodeLastKnown(tree));
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

/** The server's tree, undefined without a file; an unusable file is moved aside and `problem` says so. */
export async function readLastKnown(home: string, serverId: string): Promise<{ tree?: LastKnownTree; problem?: StoreProblem }> {
  const loaded = await loadVersionedFile<LastKnownTree | undefined>({
    file: lastKnownFile(home, serverId),
    version: SCHEMA_VERSION,
    empty: () => undefined,
    parse: (doc) => decode(doc, serverId),
  });
  return { tree: loaded.value, problem: loaded.problem };
}

function decode(doc: Record<string, unknown>, serverId: string): LastKnownTree | string {
  if (doc.serverId !== serverId) return `The file belongs to server ${JSON.stringify(doc.serverId)}, not ${serverId}.`;
  if (typeof doc.at !== 'number' || !Number.isFinite(doc.at)) return 'The file does not say when its tree was known.';
  if (!Array.isArray(doc.nodes)) return 'The file has no list of nodes.';
  const prefix = `${serverId}:`;
  const widen = (id: unknown) => (typeof id === 'string' ? prefix + id : id);
  const nodes = doc.nodes.map((raw: unknown) => {
    const n = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    return { ...n, id: widen(n.id), parentId: n.parentId === null ? null : widen(n.parentId), serverId, allowed: [] };
  });
  // the same check every inventory delta passes on its way to the renderer
  const checked = EVENT_PAYLOADS['inventory:delta'].safeParse({ serverId, upsert: nodes, remove: [] });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return `A node is not usable (${issue.path.join(' › ')}: ${issue.message}).`;
  }
  return { serverId, at: doc.at, nodes: nodes as unknown as InventoryNode[] };
}
