// Open the Scheduled snapshots view: every policy, the servers' own and Polyvisor's.
// From a pool, server or VM its policies come first.
import { policyActions } from '../schedules/policy-state';
import { serverKey } from '../tree/inventory-index';
import { CAN_RUN, type Command } from './types';

export const scheduledSnapshotsCommand: Command = {
  id: 'scheduled-snapshots',
  label: (ctx) => ctx.t('schedules.command.open'),
  opensDialog: true,
  glyph: 'schedule',
  canRun: () => CAN_RUN,
  run: (ctx) => policyActions.openSchedules([...ctx.servers.map((s) => serverKey(s.id)), ...ctx.nodes.map((n) => n.id)]),
};
