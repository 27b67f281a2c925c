// Commands on one VM or container (snapshots, console, logs): why there is none to act on.
import type { InventoryNode } from '../../../shared/model';
import { nothingSelectedReason } from './rules';
import type { CommandContext } from './types';

export function subjectReason(ctx: CommandContext): string | null {
  if (ctx.subject) return null;
  if (ctx.nodes.length + ctx.servers.length > 1) return ctx.t('reason.selectOneGuest');
  return nothingSelectedReason(ctx, 'reason.selectGuest');
}

/** The subject's server, descriptor and snapshot nodes. */
export function subjectSnapshots(ctx: CommandContext, subject: InventoryNode): InventoryNode[] {
  return (ctx.state.index.snapshotsOf.get(subject.id) ?? []).map((id) => ctx.state.index.nodes.get(id)).filter((n): n is InventoryNode => n !== undefined);
}
