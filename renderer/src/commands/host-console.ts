// Show a host's own console (issue 18): a Proxmox VE node's shell, a XenServer host's
// control domain. Where the platform gives hosts none (descriptor facet hostConsole),
// the command says so.
import { storeActions } from '../store/store';
import { disconnectedReason, nothingSelectedReason } from './rules';
import { CAN_RUN, cannot, type Command } from './types';

export const hostConsoleCommand: Command = {
  id: 'host-console',
  label: (ctx) => ctx.t('command.hostConsole'),
  glyph: 'console',
  canRun(ctx) {
    const host = ctx.nodes.length === 1 && ctx.servers.length === 0 && ctx.nodes[0]!.kind === 'host' ? ctx.nodes[0]! : null;
    if (!host) return cannot(nothingSelectedReason(ctx, 'migration.reason.selectHost'));
    const reason = disconnectedReason(ctx, ctx.serverById(host.serverId));
    if (reason) return cannot(reason);
    return ctx.descriptorOf(host.serverId)?.facets.hostConsole ? CAN_RUN : cannot(ctx.t('console.noHostConsole'));
  },
  run: () => storeActions.setDetailsTab('console'),
};
