// A Docker engine's images and volumes: Pull image… on the engine (or anything of it),
// Remove on image and volume nodes (a node a container still uses says which), and
// Remove unused images/volumes… (prune) asked first. Each runs as a task of the engine.
import type { ActionParams } from '../../../shared/contract';
import { localized } from '../../../shared/descriptor';
import type { InventoryNode, NodeKind } from '../../../shared/model';
import { pruneEngine } from '../images/image-requests';
import { runAction } from '../store/requests';
import { storeActions, type ConfirmRequest } from '../store/store';
import { disconnectedReason, leftOutNotes, nodeActionReason, nothingSelectedReason, noTargetReason, partitionBy } from './rules';
import { CAN_RUN, cannot, unless, type CanRun, type Command, type CommandContext } from './types';

/** The one engine the selection belongs to (a server row, its engine, or anything under it), where the platform has images. */
function engineOf(ctx: CommandContext): { serverId: string } | { reason: string } {
  const ids = new Set([...ctx.servers.map((s) => s.id), ...ctx.nodes.map((n) => n.serverId)]);
  const engines = [...ids].filter((id) => ctx.descriptorOf(id)?.facets.guests?.images);
  if (engines.length === 0) return { reason: nothingSelectedReason(ctx, 'images.reason.selectEngine') };
  if (engines.length > 1 || ids.size > 1) return { reason: ctx.t('images.reason.oneEngine') };
  const disconnected = disconnectedReason(ctx, ctx.serverById(engines[0]));
  return disconnected ? { reason: disconnected } : { serverId: engines[0] };
}

function engineCanRun(ctx: CommandContext): CanRun {
  const engine = engineOf(ctx);
  return 'reason' in engine ? cannot(engine.reason) : CAN_RUN;
}

const engineName = (ctx: CommandContext, serverId: string) => ctx.serverById(serverId)?.name ?? serverId;

export const pullImageCommand: Command = {
  id: 'pull-image',
  label: (ctx) => ctx.t('images.pull'),
  opensDialog: true,
  glyph: 'import',
  canRun: engineCanRun,
  run(ctx) {
    const engine = engineOf(ctx);
    if ('serverId' in engine) storeActions.openDialog({ kind: 'pullImage', serverId: engine.serverId });
  },
};

function pruneCommand(id: string, what: 'images' | 'volumes'): Command {
  const label = (ctx: CommandContext) => ctx.t(what === 'images' ? 'images.pruneImages' : 'images.pruneVolumes');
  return {
    id,
    label,
    glyph: 'remove',
    canRun: engineCanRun,
    confirm(ctx): ConfirmRequest | null {
      const engine = engineOf(ctx);
      if (!('serverId' in engine)) return null;
      return {
        title: label(ctx),
        message: ctx.t(what === 'images' ? 'images.confirmPruneImages' : 'images.confirmPruneVolumes', { name: engineName(ctx, engine.serverId) }),
        confirmLabel: ctx.t('images.remove'),
        danger: true,
      };
    },
    async run(ctx) {
      const engine = engineOf(ctx);
      if ('serverId' in engine) await pruneEngine(engine.serverId, what);
    },
  };
}

/** Why a node of these kinds cannot be removed: a node a container uses says which containers, a running project asks to be stopped. */
function removeReason(ctx: CommandContext, node: InventoryNode): string | null {
  const usedBy = node.props.usedBy;
  if (!node.allowed.includes('destroy') && Array.isArray(usedBy) && usedBy.length) {
    return ctx.t('images.reason.inUse', { name: node.name, names: usedBy.join(', ') });
  }
  // a project has no state of its own: it runs while some container of it can be stopped
  const runs = node.state === 'running' || node.allowed.includes('shutdown');
  if (!node.allowed.includes('destroy') && runs) return ctx.t('lifecycle.reason.stopFirst', { name: node.name });
  return nodeActionReason(ctx, node, 'destroy');
}

interface DestroySpec {
  id: string;
  kinds: ReadonlySet<NodeKind>;
  label: (ctx: CommandContext) => string;
  selectKey: string;
  messageKey: string;
  /** names listed beside each target (a project's containers) */
  detail?: (ctx: CommandContext, node: InventoryNode) => string;
  params?: ActionParams;
}

/** Remove the selected nodes of some kinds with `destroy`, asked first, naming each one and what it takes with it. */
export function destroyNodesCommand(spec: DestroySpec): Command {
  const split = (ctx: CommandContext) => partitionBy(ctx.nodes.filter((n) => spec.kinds.has(n.kind)), (node) => removeReason(ctx, node));
  return {
    id: spec.id,
    label: spec.label,
    glyph: 'remove',
    canRun(ctx) {
      const { targets, skipped } = split(ctx);
      if (targets.length + skipped.length === 0) return cannot(nothingSelectedReason(ctx, spec.selectKey));
      return unless(targets.length ? null : noTargetReason(ctx, 'destroy', skipped));
    },
    confirm(ctx) {
      const { targets, skipped } = split(ctx);
      const platform = ctx.descriptorOf(targets[0]?.serverId ?? '');
      return {
        title: spec.label(ctx),
        message: ctx.t(spec.messageKey, { count: targets.length, platform: platform ? localized(platform.displayName, ctx.language) : '' }),
        confirmLabel: spec.label(ctx),
        danger: true,
        targets: targets.map((n) => (spec.detail ? `${n.name} — ${spec.detail(ctx, n)}` : n.name)),
        notes: leftOutNotes(ctx, skipped),
      };
    },
    async run(ctx) {
      const { targets } = split(ctx);
      await runAction(
        targets.map((n) => n.id),
        'destroy',
        spec.params,
        spec.label(ctx),
      );
    },
  };
}

export const removeImageCommand = destroyNodesCommand({
  id: 'remove-image',
  kinds: new Set<NodeKind>(['image', 'volume']),
  label: (ctx) => ctx.t('images.remove'),
  selectKey: 'images.reason.selectImage',
  messageKey: 'images.confirmRemove',
});

export const IMAGE_COMMANDS: Command[] = [pullImageCommand, removeImageCommand, pruneCommand('prune-images', 'images'), pruneCommand('prune-volumes', 'volumes')];
