// Convert to Template and Convert to VM, where the platform has them (facet guests.toTemplate /
// fromTemplate) and the server allows it now; turning a VM into a template is asked first.
import type { InventoryNode, LifecycleAction } from '../../../shared/model';
import type { GuestsFacet } from '../../../shared/guests';
import { runAction } from '../store/requests';
import type { ConfirmRequest } from '../store/store';
import { lifecycleReason } from './guest-facet';
import { labelFor, leftOutNotes, nothingSelectedReason, noTargetReason, partitionBy } from './rules';
import { CAN_RUN, cannot, type Command, type CommandContext } from './types';

function convertCommand(id: string, action: Extract<LifecycleAction, 'to_template' | 'to_vm'>, kind: 'vm' | 'template', has: (f: GuestsFacet) => boolean): Command {
  const candidates = (ctx: CommandContext): InventoryNode[] => ctx.nodes.filter((n) => n.kind === kind);
  const split = (ctx: CommandContext) => partitionBy(candidates(ctx), (node) => lifecycleReason(ctx, node, action, has));
  const label = (ctx: CommandContext) => labelFor(ctx, action, candidates(ctx));
  return {
    id,
    label,
    glyph: 'template',
    canRun(ctx) {
      if (candidates(ctx).length === 0) return cannot(nothingSelectedReason(ctx, kind === 'vm' ? 'reason.selectGuest' : 'lifecycle.reason.selectTemplate'));
      const { targets, skipped } = split(ctx);
      return targets.length ? CAN_RUN : cannot(noTargetReason(ctx, action, skipped));
    },
    confirm(ctx): ConfirmRequest | null {
      if (action !== 'to_template') return null;
      const { targets, skipped } = split(ctx);
      return {
        title: label(ctx),
        message: ctx.t('lifecycle.confirmToTemplate', { count: targets.length }),
        confirmLabel: label(ctx),
        targets: targets.map((n) => n.name),
        notes: leftOutNotes(ctx, skipped),
      };
    },
    async run(ctx) {
      const { targets } = split(ctx);
      await runAction(
        targets.map((n) => n.id),
        action,
        undefined,
        label(ctx),
      );
    },
  };
}

export const toTemplateCommand = convertCommand('to-template', 'to_template', 'vm', (f) => f.toTemplate);
export const toVmCommand = convertCommand('to-vm', 'to_vm', 'template', (f) => f.fromTemplate);
