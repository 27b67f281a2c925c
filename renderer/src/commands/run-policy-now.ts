// Run the selected policy once now (XenCenter's "Run now"), outside its schedule.
import { runPolicyNow } from '../schedules/policy-requests';
import { storeActions } from '../store/store';
import { policyReason } from './policy-target';
import { unless, type Command, type CommandContext } from './types';

function runningReason(ctx: CommandContext): string | null {
  return ctx.policy!.lastRun?.outcome === 'running' ? ctx.t('schedules.reason.running', { name: ctx.policy!.name }) : null;
}

export const runPolicyNowCommand: Command = {
  id: 'run-policy-now',
  label: (ctx) => ctx.t('schedules.command.runNow'),
  glyph: 'start',
  canRun: (ctx) => unless(policyReason(ctx) ?? runningReason(ctx)),
  async run(ctx) {
    const policy = ctx.policy!;
    await runPolicyNow(policy.id);
    storeActions.inform(ctx.t('schedules.ranNow', { name: policy.name }));
  },
};
