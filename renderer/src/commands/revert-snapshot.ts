// Revert the VM to the snapshot selected in its Snapshots tab, after asking.
import { runAction } from '../store/requests';
import { nodeActionReason } from './rules';
import { subjectReason } from './subject';
import { unless, type Command, type CommandContext } from './types';

export function snapshotReason(ctx: CommandContext): string | null {
  const missing = subjectReason(ctx);
  if (missing) return missing;
  return ctx.snapshot ? null : ctx.t('reason.selectSnapshot');
}

export const revertSnapshotCommand: Command = {
  id: 'revert-snapshot',
  label: (ctx) => ctx.t('command.revertSnapshot'),
  opensDialog: true,
  glyph: 'revert',
  canRun: (ctx) => unless(snapshotReason(ctx) ?? nodeActionReason(ctx, ctx.snapshot!, 'snapshot_revert')),
  confirm(ctx) {
    const vm = ctx.subject!;
    const recreates = ctx.descriptorOf(vm.serverId)?.facets.revertRecreates ?? false;
    return {
      title: ctx.t('snapshots.revertTitle'),
      message: ctx.t('snapshots.revertMessage', { vm: vm.name, snapshot: ctx.snapshot!.name }),
      confirmLabel: ctx.t('snapshots.revert'),
      danger: true,
      notes: recreates ? [ctx.t('snapshots.revertRecreates')] : [],
    };
  },
  run: (ctx) => runAction([ctx.snapshot!.id], 'snapshot_revert'),
};
