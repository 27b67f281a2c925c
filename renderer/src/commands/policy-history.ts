// Show the selected policy's runs: each VM's snapshot, what retention pruned, and errors.
import { storeActions } from '../store/store';
import { selectedPolicyReason } from './policy-target';
import { unless, type Command } from './types';

export const policyHistoryCommand: Command = {
  id: 'policy-history',
  label: (ctx) => ctx.t('schedules.command.history'),
  opensDialog: true,
  glyph: 'history',
  canRun: (ctx) => unless(selectedPolicyReason(ctx)),
  run: (ctx) => storeActions.openDialog({ kind: 'policyHistory', policyId: ctx.policy!.id }),
};
