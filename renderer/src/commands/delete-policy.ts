// Delete the selected policy, asking whether its snapshots go too (never a user's own:
// only those the policy took).
import { deletePolicy } from '../schedules/policy-requests';
import { policyReason, policySnapshotCount } from './policy-target';
import { unless, type Command } from './types';

export const deletePolicyCommand: Command = {
  id: 'delete-policy',
  label: (ctx) => ctx.t('schedules.command.delete'),
  opensDialog: true,
  glyph: 'remove',
  canRun: (ctx) => unless(policyReason(ctx)),
  confirm(ctx) {
    const policy = ctx.policy!;
    const count = policySnapshotCount(ctx, policy);
    return {
      title: ctx.t('schedules.deleteTitle'),
      message: ctx.t('schedules.deleteMessage', { name: policy.name }),
      confirmLabel: ctx.t('schedules.command.delete'),
      danger: true,
      options: [
        {
          id: 'deleteSnapshots',
          label: ctx.t('schedules.deleteSnapshots', { count }),
          checked: false,
          hint: ctx.t('schedules.deleteSnapshotsHint'),
        },
      ],
    };
  },
  async run(ctx, answers) {
    await deletePolicy(ctx.policy!.id, answers?.deleteSnapshots ?? false);
  },
};
