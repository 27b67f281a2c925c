// Migrate…: move the selected VMs or containers (or the one a details pane shows) to
// another host; the dialog asks the servers which hosts can take them and why not.
import { localized } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';
import { storeActions } from '../store/store';
import { labelFor, leftOutNotes, nodeActionReason, nothingSelectedReason, noTargetReason, partitionBy, type Partition } from './rules';
import { CAN_RUN, cannot, type Command, type CommandContext } from './types';

const GUESTS = new Set(['vm', 'container']);

function candidates(ctx: CommandContext): InventoryNode[] {
  return ctx.subject ? [ctx.subject] : ctx.nodes.filter((n) => GUESTS.has(n.kind));
}

/** Why `node` cannot move: its platform cannot move guests, or the server does not allow it now. */
export function migrateReason(ctx: CommandContext, node: InventoryNode): string | null {
  const descriptor = ctx.descriptorOf(node.serverId);
  if (descriptor && descriptor.facets.migration === 'none' && !descriptor.facets.crossServerMigration) {
    return ctx.t('reason.platformLacks', { platform: localized(descriptor.displayName, ctx.language), action: labelFor(ctx, 'migrate', [node]) });
  }
  return nodeActionReason(ctx, node, 'migrate');
}

function split(ctx: CommandContext): Partition {
  return partitionBy(candidates(ctx), (node) => migrateReason(ctx, node));
}

export const migrateCommand: Command = {
  id: 'migrate',
  label: (ctx) => ctx.t('migration.command.migrate'),
  opensDialog: true,
  glyph: 'migrate',
  canRun(ctx) {
    if (candidates(ctx).length === 0) return cannot(nothingSelectedReason(ctx, 'reason.selectGuest'));
    const { targets, skipped } = split(ctx);
    return targets.length ? CAN_RUN : cannot(noTargetReason(ctx, 'migrate', skipped));
  },
  run(ctx) {
    const { targets, skipped } = split(ctx);
    storeActions.openDialog({ kind: 'migrate', vmIds: targets.map((n) => n.id), notes: leftOutNotes(ctx, skipped) });
  },
};
