// Remove the selected servers from the list (and their stored passwords), after asking.
import { removeServer } from '../store/requests';
import { nothingSelectedReason } from './rules';
import { CAN_RUN, cannot, type Command } from './types';

export const removeServerCommand: Command = {
  id: 'remove-server',
  label: (ctx) => ctx.t('command.removeServer'),
  opensDialog: true,
  glyph: 'remove',
  shortcut: 'Delete',
  canRun: (ctx) => (ctx.servers.length ? CAN_RUN : cannot(nothingSelectedReason(ctx, 'reason.selectServer'))),
  confirm: (ctx) => ({
    title: ctx.t('confirm.removeServersTitle', { count: ctx.servers.length }),
    message: ctx.t('confirm.removeServers', { count: ctx.servers.length }),
    confirmLabel: ctx.t('command.removeServer'),
    danger: true,
    targets: ctx.servers.map((s) => s.name),
    notes: ctx.hidden > 0 ? [ctx.t('reason.hiddenLeftOut', { count: ctx.hidden })] : [],
  }),
  async run(ctx) {
    for (const server of ctx.servers) await removeServer(server.id);
  },
};
