// Connect every saved server again (the core decides which need it).
import { reconnectAll } from '../store/requests';
import { CAN_RUN, cannot, type Command } from './types';

export const reconnectAllCommand: Command = {
  id: 'reconnect-all',
  label: (ctx) => ctx.t('command.reconnectAll'),
  glyph: 'refresh',
  canRun: (ctx) => (ctx.state.servers.length ? CAN_RUN : cannot(ctx.t('reason.noServers'))),
  run: () => reconnectAll(),
};
