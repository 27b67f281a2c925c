// `polyvisor inventory --cached`: the last known trees the profile keeps, read without
// connecting to anything — the estate as it was, each server saying since when.

import { PolyvisorError } from '../../shared/errors';
import type { InventoryNode } from '../../shared/model';
import type { ServerView } from '../../shared/contract';
import { formatTree } from './format';
import { findServer } from './resolve';
import type { CliSession } from './session';

export async function printCachedInventory(
  options: { server?: string; json: boolean; templates: boolean },
  session: CliSession,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<void> {
  const all = await session.servers();
  const servers = options.server ? [findServer(all, options.server)] : all;
  if (servers.length === 0) throw new PolyvisorError({ code: 'NOT_FOUND', message: 'No servers are saved in this profile: use "polyvisor server add"' });
  const ids = new Set(servers.map((s) => s.id));
  const shown = (await session.knownInventory()).filter((n: InventoryNode) => ids.has(n.serverId));
  for (const server of servers) err(`${server.name}: ${lastKnownLine(server)}`);
  out(options.json ? JSON.stringify(shown, null, 2) : formatTree(shown, { templates: options.templates }) || 'The inventory is empty.');
}

function lastKnownLine(server: ServerView): string {
  return server.lastKnownAt === undefined ? 'no last known tree (never connected, or keeping last known trees is off)' : `last known ${new Date(server.lastKnownAt).toISOString()}`;
}
