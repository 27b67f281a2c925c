// Delete VMs, containers and templates (several at once), as XenCenter's Delete VM:
// the dialog reads the delete plan first (disks with size and storage, snapshots,
// disks other VMs share), then offers keeping the disks and forcing running ones.
import type { InventoryNode } from '../../../shared/model';
import { storeActions } from '../store/store';
import { labelFor, leftOutNotes, nothingSelectedReason, noTargetReason, partitionBy } from './rules';
import { lifecycleReason } from './guest-facet';
import { CAN_RUN, cannot, type Command, type CommandContext } from './types';

const DELETABLE = new Set(['vm', 'container', 'template']);

function candidates(ctx: CommandContext): InventoryNode[] {
  return ctx.nodes.filter((n) => DELETABLE.has(n.kind));
}

function split(ctx: CommandContext) {
  return partitionBy(candidates(ctx), (node) => lifecycleReason(ctx, node, 'destroy', () => true));
}

export const deleteGuestCommand: Command = {
  id: 'delete-guest',
  label: (ctx) => labelFor(ctx, 'destroy', candidates(ctx)),
  opensDialog: true,
  glyph: 'remove',
  canRun(ctx) {
    if (candidates(ctx).length === 0) return cannot(nothingSelectedReason(ctx, 'reason.selectGuest'));
    const { targets, skipped } = split(ctx);
    return targets.length ? CAN_RUN : cannot(noTargetReason(ctx, 'destroy', skipped));
  },
  run(ctx) {
    const { targets, skipped } = split(ctx);
    storeActions.openDialog({ kind: 'deleteGuests', nodeIds: targets.map((n) => n.id), notes: leftOutNotes(ctx, skipped) });
  },
};
