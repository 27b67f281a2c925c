// The can't-run rules of the commands on the policy selected in the Scheduled snapshots
// view: one must be selected, and a policy the server runs needs its server connected.
import type { SnapshotPolicy } from '../../../shared/schedules';
import { disconnectedReason } from './rules';
import type { CommandContext } from './types';

export function selectedPolicyReason(ctx: CommandContext): string | null {
  return ctx.policy ? null : ctx.t('schedules.reason.selectPolicy');
}

/** Why the selected policy cannot be changed or run now; null when it can. */
export function policyReason(ctx: CommandContext): string | null {
  const missing = selectedPolicyReason(ctx);
  if (missing) return missing;
  const runner = ctx.policy!.runner;
  return runner.kind === 'server' ? disconnectedReason(ctx, ctx.serverById(runner.serverId)) : null;
}

/** The snapshots in the inventory that the policy took (the servers Polyvisor is connected to). */
export function policySnapshotCount(ctx: CommandContext, policy: SnapshotPolicy): number {
  let count = 0;
  for (const node of ctx.state.index.nodes.values()) if (node.snapshot?.policyId === policy.id) count++;
  return count;
}
