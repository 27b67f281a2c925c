// Connect the selected servers that are not connected (or trying to be).
import { connectServer } from '../store/requests';
import { nothingSelectedReason } from './rules';
import { serverTargets, serversReason } from './server-targets';
import { CAN_RUN, cannot, type Command, type CommandContext } from './types';

const connectable = (ctx: CommandContext) => serverTargets(ctx).filter((s) => s.state === 'disconnected' || s.state === 'error');

export const connectCommand: Command = {
  id: 'connect',
  label: (ctx) => ctx.t('command.connect'),
  glyph: 'connect',
  canRun(ctx) {
    const servers = serverTargets(ctx);
    if (servers.length === 0) return cannot(nothingSelectedReason(ctx, 'reason.selectServer'));
    if (connectable(ctx).length) return CAN_RUN;
    return cannot(serversReason(ctx, servers, (s) => ctx.t(s.state === 'connected' ? 'reason.alreadyConnected' : 'reason.connecting', { name: s.name })));
  },
  async run(ctx) {
    await Promise.all(connectable(ctx).map((s) => connectServer(s.id)));
  },
};
