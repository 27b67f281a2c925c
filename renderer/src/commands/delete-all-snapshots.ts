// Delete every snapshot of a VM in one operation, where the platform has that
// (vSphere: snapshot_delete allowed on the VM itself).
import { runAction } from '../store/requests';
import { storeActions } from '../store/store';
import { disconnectedReason } from './rules';
import { subjectReason, subjectSnapshots } from './subject';
import { CAN_RUN, cannot, type Command } from './types';

export const deleteAllSnapshotsCommand: Command = {
  id: 'delete-all-snapshots',
  label: (ctx) => ctx.t('command.deleteAllSnapshots'),
  opensDialog: true,
  glyph: 'remove',
  canRun(ctx) {
    const reason = subjectReason(ctx) ?? disconnectedReason(ctx, ctx.serverById(ctx.subject!.serverId));
    if (reason) return cannot(reason);
    const vm = ctx.subject!;
    if (!vm.allowed.includes('snapshot_delete')) return cannot(ctx.t('reason.deleteAllUnsupported'));
    return subjectSnapshots(ctx, vm).length ? CAN_RUN : cannot(ctx.t('reason.noSnapshots', { name: vm.name }));
  },
  confirm: (ctx) => ({
    title: ctx.t('snapshots.deleteAllTitle'),
    message: ctx.t('snapshots.deleteAllMessage', { vm: ctx.subject!.name, count: subjectSnapshots(ctx, ctx.subject!).length }),
    confirmLabel: ctx.t('snapshots.deleteAllTitle'),
    danger: true,
  }),
  async run(ctx) {
    storeActions.selectSnapshot(null);
    await runAction([ctx.subject!.id], 'snapshot_delete');
  },
};
