// Create a snapshot policy in the wizard; the VMs the view was opened for are its first members.
import { storeActions } from '../store/store';
import { CAN_RUN, type Command } from './types';

const GUESTS = new Set(['vm', 'container']);

export const newPolicyCommand: Command = {
  id: 'new-policy',
  label: (ctx) => ctx.t('schedules.command.new'),
  opensDialog: true,
  glyph: 'add',
  canRun: () => CAN_RUN,
  run(ctx) {
    const focus = ctx.state.schedulesView?.focus ?? [];
    const members = focus.filter((id) => GUESTS.has(ctx.state.index.nodes.get(id)?.kind ?? ''));
    storeActions.openDialog({ kind: 'policyWizard', members });
  },
};
