// The can't-run rules commands share: what is selected, whether its server is
// connected, whether the platform has the action, and whether the server allows it now.
import type { ServerView } from '../../../shared/contract';
import { localized } from '../../../shared/descriptor';
import type { ActionName, InventoryNode, PowerAction } from '../../../shared/model';
import { POWER_ACTIONS } from '../../../shared/model';
import { actionLabel } from '../providers/action-labels';
import type { CommandContext } from './types';
import { lastKnownAge } from '../last-known/age';
import { permissionReason } from './permission';

/** Why nothing can be acted on: the search hides the selection, or nothing fitting is selected. */
export function nothingSelectedReason(ctx: CommandContext, selectKey: string): string {
  return ctx.hidden > 0 ? ctx.t('reason.hiddenBySearch', { count: ctx.hidden }) : ctx.t(selectKey);
}

/** Why a command on exactly one selected object cannot run; null when one is selected. */
export function singleSelectionReason(ctx: CommandContext): string | null {
  const count = ctx.nodes.length + ctx.servers.length;
  if (count === 0) return nothingSelectedReason(ctx, 'reason.nothingSelected');
  return count === 1 ? null : ctx.t('reason.selectOne');
}

export function disconnectedReason(ctx: CommandContext, server: ServerView | undefined): string | null {
  if (!server) return ctx.t('reason.serverGone');
  if (server.state === 'connected') return null;
  if (server.lastKnownAt !== undefined) return ctx.t('reason.lastKnownOnly', { name: server.name, age: lastKnownAge(server.lastKnownAt, Date.now(), ctx.language) });
  return ctx.t('reason.serverDisconnected', { name: server.name });
}

/** The action's label for these nodes: the platform's own words when they all share one platform. */
export function labelFor(ctx: CommandContext, action: ActionName, nodes: InventoryNode[]): string {
  return actionLabel(ctx.t, ctx.language, action, nodes.map((n) => ctx.descriptorOf(n.serverId)));
}

function isPowerAction(action: ActionName): action is PowerAction {
  return (POWER_ACTIONS as readonly string[]).includes(action);
}

/** Why `action` cannot run on `node` now; null when it can. */
export function nodeActionReason(ctx: CommandContext, node: InventoryNode, action: ActionName): string | null {
  const disconnected = disconnectedReason(ctx, ctx.serverById(node.serverId));
  if (disconnected) return disconnected;
  const label = labelFor(ctx, action, [node]);
  // a snapshot's operations are its VM's
  const denied = permissionReason(ctx, node.serverId, action, label, node.snapshot?.ofId ?? node.id);
  if (denied) return denied;
  const descriptor = ctx.descriptorOf(node.serverId);
  const guest = node.kind === 'vm' || node.kind === 'container';
  if (guest && descriptor && isPowerAction(action) && !descriptor.facets.powerActions.includes(action)) {
    return ctx.t('reason.platformLacks', { platform: localized(descriptor.displayName, ctx.language), action: label });
  }
  if (ctx.state.tasks.some((task) => task.status === 'running' && task.targetId === node.id && task.action === action)) {
    return ctx.t('reason.taskRunning', { action: label, name: node.name });
  }
  if (node.allowed.includes(action)) return null;
  return node.state
    ? ctx.t('reason.notAllowedInState', { action: label, name: node.name, state: ctx.t(`powerState.${node.state}`) })
    : ctx.t('reason.notAllowed', { action: label, name: node.name });
}

export interface Partition {
  targets: InventoryNode[];
  skipped: Array<{ node: InventoryNode; reason: string }>;
}

export function partition(ctx: CommandContext, nodes: InventoryNode[], action: ActionName): Partition {
  return partitionBy(nodes, (node) => nodeActionReason(ctx, node, action));
}

/** Targets and skipped nodes by a command's own rule (null: the node is a target). */
export function partitionBy(nodes: InventoryNode[], reasonOf: (node: InventoryNode) => string | null): Partition {
  const out: Partition = { targets: [], skipped: [] };
  for (const node of nodes) {
    const reason = reasonOf(node);
    if (reason) out.skipped.push({ node, reason });
    else out.targets.push(node);
  }
  return out;
}

/** Lines that say what a bulk command leaves out: the rows the search hides and the objects that refuse. */
export function leftOutNotes(ctx: CommandContext, skipped: Partition['skipped']): string[] {
  const notes = skipped.map((s) => s.reason);
  if (ctx.hidden > 0) notes.unshift(ctx.t('reason.hiddenLeftOut', { count: ctx.hidden }));
  return notes;
}

/** The reason shown when no object can take the action: the only one's reason, or a summary. */
export function noTargetReason(ctx: CommandContext, action: ActionName, skipped: Partition['skipped']): string {
  if (skipped.length === 1) return skipped[0].reason;
  return ctx.t('reason.noneCan', { count: skipped.length, action: labelFor(ctx, action, skipped.map((s) => s.node)), example: skipped[0].reason });
}
