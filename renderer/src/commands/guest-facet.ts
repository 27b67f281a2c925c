// The can't-run rules the lifecycle commands share (delete, clone, convert): the
// platform must have the operation (descriptor facet `guests`), the server must be
// connected, and a VM the server will not take it from while it runs is asked to stop first.
import { localized } from '../../../shared/descriptor';
import type { GuestsFacet } from '../../../shared/guests';
import type { ActionName, InventoryNode } from '../../../shared/model';
import { disconnectedReason, labelFor, nodeActionReason } from './rules';
import type { CommandContext } from './types';

const ON = new Set(['running', 'paused', 'suspended']);

/** Why `action` cannot run on `node`; null when it can. `has`: whether the platform's facet offers it. */
export function lifecycleReason(ctx: CommandContext, node: InventoryNode, action: ActionName, has: (facet: GuestsFacet) => boolean): string | null {
  const disconnected = disconnectedReason(ctx, ctx.serverById(node.serverId));
  if (disconnected) return disconnected;
  const descriptor = ctx.descriptorOf(node.serverId);
  if (descriptor && !(descriptor.facets.guests && has(descriptor.facets.guests))) {
    return ctx.t('reason.platformLacks', { platform: localized(descriptor.displayName, ctx.language), action: labelFor(ctx, action, [node]) });
  }
  if (!node.allowed.includes(action) && node.state && ON.has(node.state)) {
    return ctx.t(node.kind === 'container' ? 'lifecycle.reason.stopFirst' : 'lifecycle.reason.shutDownFirst', { name: node.name });
  }
  return nodeActionReason(ctx, node, action);
}
