// Disconnect the selected servers that are connected or trying to connect.
import { disconnectServer } from '../store/requests';
import { nothingSelectedReason } from './rules';
import { serverTargets, serversReason } from './server-targets';
import { CAN_RUN, cannot, type Command, type CommandContext } from './types';

const LINKED = new Set(['connected', 'connecting', 'reconnecting']);
const disconnectable = (ctx: CommandContext) => serverTargets(ctx).filter((s) => LINKED.has(s.state));

export const disconnectCommand: Command = {
  id: 'disconnect',
  label: (ctx) => ctx.t('command.disconnect'),
  glyph: 'disconnect',
  canRun(ctx) {
    const servers = serverTargets(ctx);
    if (servers.length === 0) return cannot(nothingSelectedReason(ctx, 'reason.selectServer'));
    if (disconnectable(ctx).length) return CAN_RUN;
    return cannot(serversReason(ctx, servers, (s) => ctx.t('reason.notConnected', { name: s.name })));
  },
  async run(ctx) {
    await Promise.all(disconnectable(ctx).map((s) => disconnectServer(s.id)));
  },
};
