// Which saved servers a server command acts on: the selected server rows, or else
// the servers of the selected objects (the toolbar's Connect with a VM selected).
import type { ServerView } from '../../../shared/contract';
import type { CommandContext } from './types';

export function serverTargets(ctx: CommandContext): ServerView[] {
  if (ctx.servers.length) return ctx.servers;
  const ids = new Set(ctx.nodes.map((n) => n.serverId));
  return [...ids].map((id) => ctx.serverById(id)).filter((s): s is ServerView => s !== undefined);
}

/** The reason a state refuses the command, for one server; a summary for several. */
export function serversReason(ctx: CommandContext, servers: ServerView[], reasonOf: (server: ServerView) => string): string {
  if (servers.length === 1) return reasonOf(servers[0]);
  return ctx.t('reason.noServerCan', { count: servers.length, example: reasonOf(servers[0]) });
}
