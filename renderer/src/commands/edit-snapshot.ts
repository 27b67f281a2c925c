// Change the selected snapshot's name and description, or only its description where the
// platform keys snapshots by name (Proxmox); the dialog says which.
import { storeActions } from '../store/store';
import { nodeActionReason } from './rules';
import { snapshotFacetReason } from './snapshot-facets';
import { snapshotReason } from './revert-snapshot';
import { unless, type Command, type CommandContext } from './types';

const editable = (ctx: CommandContext) => (ctx.subject ? ctx.descriptorOf(ctx.subject.serverId)?.facets.snapshotEdit : undefined);

export const editSnapshotCommand: Command = {
  id: 'edit-snapshot',
  label: (ctx) => (editable(ctx) === 'description' ? ctx.t('snapshotTab.editDescription') : ctx.t('snapshotTab.edit')),
  opensDialog: true,
  glyph: 'edit',
  canRun: (ctx) =>
    unless(snapshotReason(ctx) ?? snapshotFacetReason(ctx, (f) => f.snapshotEdit !== 'none', 'snapshotTab.editUnsupported') ?? nodeActionReason(ctx, ctx.snapshot!, 'snapshot_edit')),
  run: (ctx) => storeActions.openDialog({ kind: 'snapshotEdit', snapshotId: ctx.snapshot!.id }),
};
