// Properties… of one VM, container or template: the dialog of its settings as its
// platform declares them (the existing `properties` command shows the General tab).
import { localized } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';
import { storeActions } from '../store/store';
import { disconnectedReason, singleSelectionReason } from './rules';
import { CAN_RUN, cannot, type Command, type CommandContext } from './types';

const CONFIGURABLE = new Set(['vm', 'container', 'template']);

function target(ctx: CommandContext): InventoryNode | null {
  if (ctx.subject) return ctx.subject;
  return ctx.servers.length === 0 && ctx.nodes.length === 1 && CONFIGURABLE.has(ctx.nodes[0].kind) ? ctx.nodes[0] : null;
}

export const guestPropertiesCommand: Command = {
  id: 'guest-properties',
  label: (ctx) => ctx.t('guests.command.properties'),
  opensDialog: true,
  glyph: 'info',
  canRun(ctx) {
    const node = target(ctx);
    if (!node) return cannot(singleSelectionReason(ctx) ?? ctx.t('reason.selectGuest'));
    const descriptor = ctx.descriptorOf(node.serverId);
    if (descriptor && !descriptor.facets.guests?.settings.length) {
      return cannot(ctx.t('guests.reason.platformNoSettings', { platform: localized(descriptor.displayName, ctx.language) }));
    }
    const reason = disconnectedReason(ctx, ctx.serverById(node.serverId));
    return reason ? cannot(reason) : CAN_RUN;
  },
  run(ctx) {
    const node = target(ctx);
    if (node) storeActions.openDialog({ kind: 'guestProperties', nodeId: node.id });
  },
};
