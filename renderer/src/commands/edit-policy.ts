// Change the selected policy in the wizard.
import { storeActions } from '../store/store';
import { policyReason } from './policy-target';
import { unless, type Command } from './types';

export const editPolicyCommand: Command = {
  id: 'edit-policy',
  label: (ctx) => ctx.t('schedules.command.edit'),
  opensDialog: true,
  glyph: 'edit',
  canRun: (ctx) => unless(policyReason(ctx)),
  run: (ctx) => storeActions.openDialog({ kind: 'policyWizard', editId: ctx.policy!.id }),
};
