// The text of a last known tree (`last-known/<server id>.json`): a versioned, compact
// document of the nodes the tree showed, ids without the server's prefix, no serverId
// or allowed actions per node, no indentation. Pure: written by last-known-file.ts in
// slices, read by a parse worker (last-known-read-job.ts).

import { EVENT_PAYLOADS } from '../../../shared/contract-schemas';
import type { InventoryNode } from '../../../shared/model';

export const LAST_KNOWN_SCHEMA_VERSION = 1;

export interface LastKnownTree {
  serverId: string;
  /** when the tree was last known to be the server's (ms since the epoch) */
  at: number;
  /** the nodes below the server node, with no actions allowed (nothing can be asked of a server that is not there) */
  nodes: InventoryNode[];
}

/** Nodes per slice of text: each slice is one short turn of the event loop. */
const NODES_PER_SLICE = 500;
/** ...and characters: a few nodes with large properties (a 600 kB snapshot description each) made one 120 MB slice, a hold of seconds to encode and write (issue 17) */
const CHARS_PER_SLICE = 1 << 20;

/**
 * The document in slices whose concatenation is JSON.stringify of
 * `{ version, serverId, at, nodes }` (a number's and a node's own text; the array joined by commas).
 */
export function* encodeLastKnownSlices(tree: LastKnownTree): Generator<string> {
  const prefix = `${tree.serverId}:`;
  const strip = (id: string | null) => (id !== null && id.startsWith(prefix) ? id.slice(prefix.length) : id);
  const compact = ({ serverId: _server, allowed: _allowed, id, parentId, ...rest }: InventoryNode) => ({ ...rest, id: strip(id), parentId: strip(parentId) });
  yield `{"version":${LAST_KNOWN_SCHEMA_VERSION},"serverId":${JSON.stringify(tree.serverId)},"at":${JSON.stringify(tree.at)},"nodes":[`;
  let slice: string[] = [];
  let chars = 0;
  let first = true;
  for (const node of tree.nodes) {
    const text = JSON.stringify(compact(node));
    slice.push(text);
    chars += text.length;
    if (slice.length < NODES_PER_SLICE && chars < CHARS_PER_SLICE) continue;
    yield (first ? '' : ',') + slice.join(',');
    first = false;
    slice = [];
    chars = 0;
  }
  if (slice.length) yield (first ? '' : ',') + slice.join(',');
  yield ']}\n';
}

/** The whole text at once. */
export function encodeLastKnown(tree: LastKnownTree): string {
  return [...encodeLastKnownSlices(tree)].join('');
}

/** The tree in a document (its version already checked), or why it is unusable. */
export function decodeLastKnown(doc: Record<string, unknown>, serverId: string): LastKnownTree | string {
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
