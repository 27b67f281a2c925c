// Enable a disabled policy, or disable an enabled one (it keeps its snapshots either way).
import { updatePolicy } from '../schedules/policy-requests';
import { policyReason } from './policy-target';
import { unless, type Command } from './types';

export const togglePolicyCommand: Command = {
  id: 'toggle-policy',
  label: (ctx) => (ctx.policy?.enabled === false ? ctx.t('schedules.command.enable') : ctx.t('schedules.command.disable')),
  glyph: 'enable',
  canRun: (ctx) => unless(policyReason(ctx)),
  async run(ctx) {
    await updatePolicy(ctx.policy!.id, { enabled: !ctx.policy!.enabled });
  },
};
