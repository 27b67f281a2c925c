// Revert the VM to the snapshot selected in its Snapshots tab, after asking: what the
// platform leaves the VM as afterwards, and XenCenter's option to take a snapshot of
// the current state first.
import { localized } from '../../../shared/descriptor';
import { runAction } from '../store/requests';
import type { ConfirmOption } from '../store/store';
import { nodeActionReason } from './rules';
import { subjectReason } from './subject';
import { unless, type Command, type CommandContext } from './types';

export function snapshotReason(ctx: CommandContext): string | null {
  const missing = subjectReason(ctx);
  if (missing) return missing;
  return ctx.snapshot ? null : ctx.t('reason.selectSnapshot');
}

/** What the VM is after the revert, in words. */
function afterRevertNotes(ctx: CommandContext): string[] {
  const vm = ctx.subject!;
  const descriptor = ctx.descriptorOf(vm.serverId);
  const platform = descriptor ? localized(descriptor.displayName, ctx.language) : vm.serverId;
  if (descriptor?.facets.revertRecreates) return [ctx.t('snapshots.revertRecreates')];
  if (!ctx.snapshot!.snapshot?.withMemory) return [ctx.t('snapshotTab.revertDiskOnly')];
  return [descriptor?.facets.memoryRevertResumes ? ctx.t('snapshotTab.revertResumes') : ctx.t('snapshotTab.revertStaysSuspended', { platform })];
}

/** The "snapshot first" choice, or why it cannot be offered. */
function snapshotFirst(ctx: CommandContext): { options: ConfirmOption[]; notes: string[] } {
  const cannot = nodeActionReason(ctx, ctx.subject!, 'snapshot_create');
  if (cannot) return { options: [], notes: [ctx.t('snapshotTab.snapshotFirstUnavailable', { reason: cannot })] };
  return { options: [{ id: 'snapshotFirst', label: ctx.t('snapshotTab.snapshotFirst'), checked: false, hint: ctx.t('snapshotTab.snapshotFirstHint') }], notes: [] };
}

export const revertSnapshotCommand: Command = {
  id: 'revert-snapshot',
  label: (ctx) => ctx.t('command.revertSnapshot'),
  opensDialog: true,
  glyph: 'revert',
  canRun: (ctx) => unless(snapshotReason(ctx) ?? nodeActionReason(ctx, ctx.snapshot!, 'snapshot_revert')),
  confirm(ctx) {
    const first = snapshotFirst(ctx);
    return {
      title: ctx.t('snapshots.revertTitle'),
      message: ctx.t('snapshots.revertMessage', { vm: ctx.subject!.name, snapshot: ctx.snapshot!.name }),
      confirmLabel: ctx.t('snapshots.revert'),
      danger: true,
      notes: [...afterRevertNotes(ctx), ...first.notes],
      options: first.options,
    };
  },
  run: async (ctx, answers) => {
    await runAction([ctx.snapshot!.id], 'snapshot_revert', answers?.snapshotFirst ? { snapshotFirst: true } : undefined);
  },
};
