// Show the selected snapshot's properties.
import { storeActions } from '../store/store';
import { snapshotReason } from './revert-snapshot';
import { unless, type Command } from './types';

export const snapshotPropertiesCommand: Command = {
  id: 'snapshot-properties',
  label: (ctx) => ctx.t('command.snapshotProperties'),
  opensDialog: true,
  glyph: 'info',
  canRun: (ctx) => unless(snapshotReason(ctx)),
  run: (ctx) => storeActions.openDialog({ kind: 'snapshotProperties', snapshotId: ctx.snapshot!.id }),
};
