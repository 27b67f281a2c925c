// Delete the snapshot selected in the Snapshots tab, after asking.
import { runAction } from '../store/requests';
import { storeActions } from '../store/store';
import { nodeActionReason } from './rules';
import { snapshotReason } from './revert-snapshot';
import { unless, type Command } from './types';

export const deleteSnapshotCommand: Command = {
  id: 'delete-snapshot',
  label: (ctx) => ctx.t('command.deleteSnapshot'),
  opensDialog: true,
  glyph: 'remove',
  canRun: (ctx) => unless(snapshotReason(ctx) ?? nodeActionReason(ctx, ctx.snapshot!, 'snapshot_delete')),
  confirm: (ctx) => ({
    title: ctx.t('snapshots.deleteTitle'),
    message: ctx.t('snapshots.deleteMessage', { snapshot: ctx.snapshot!.name }),
    confirmLabel: ctx.t('snapshots.delete'),
    danger: true,
  }),
  async run(ctx) {
    storeActions.selectSnapshot(null);
    await runAction([ctx.snapshot!.id], 'snapshot_delete');
  },
};
