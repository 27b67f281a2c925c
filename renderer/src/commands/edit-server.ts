// Edit one saved server in the same dialog that adds them.
import { storeActions } from '../store/store';
import { nothingSelectedReason } from './rules';
import { CAN_RUN, cannot, type Command } from './types';

export const editServerCommand: Command = {
  id: 'edit-server',
  label: (ctx) => ctx.t('command.editServer'),
  opensDialog: true,
  glyph: 'edit',
  // the name is what F2 renames in a tree; the dialog opens with it
  shortcut: 'F2',
  canRun(ctx) {
    if (ctx.servers.length === 0) return cannot(nothingSelectedReason(ctx, 'reason.selectServer'));
    return ctx.servers.length === 1 ? CAN_RUN : cannot(ctx.t('reason.selectOneServer'));
  },
  run: (ctx) => storeActions.openDialog({ kind: 'addServer', editId: ctx.servers[0].id }),
};
