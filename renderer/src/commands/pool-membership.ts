// Pool membership (XenCenter's Add Server to Pool / Remove Server from Pool), on hosts
// whose server allows it: Add to Pool… on a standalone host (the tree shows it in its
// one-host pool's place) opens a dialog with the pools it could join and the servers'
// reasons why not; Remove from Pool asks first, with XenCenter's warning that the
// host's VMs and local storage are lost and that it restarts on its own.
import type { InventoryNode } from '../../../shared/model';
import { runAction } from '../store/requests';
import { storeActions } from '../store/store';
import { leftOutNotes, nodeActionReason, nothingSelectedReason, noTargetReason, partition } from './rules';
import { CAN_RUN, cannot, type Command, type CommandContext } from './types';

function hosts(ctx: CommandContext): InventoryNode[] {
  return ctx.nodes.filter((n) => n.kind === 'host');
}

export const poolJoinCommand: Command = {
  id: 'pool-join',
  label: (ctx) => ctx.t('pool.command.join'),
  opensDialog: true,
  glyph: 'add',
  canRun(ctx) {
    const selected = hosts(ctx);
    if (selected.length === 0) return cannot(nothingSelectedReason(ctx, 'migration.reason.selectHost'));
    if (selected.length > 1) return cannot(ctx.t('reason.selectOne'));
    const reason = nodeActionReason(ctx, selected[0]!, 'pool_join');
    return reason ? cannot(reason) : CAN_RUN;
  },
  run(ctx) {
    const host = hosts(ctx)[0];
    if (host) storeActions.openDialog({ kind: 'poolJoin', hostId: host.id });
  },
};

export const poolEjectCommand: Command = {
  id: 'pool-eject',
  label: (ctx) => ctx.t('action.pool_eject'),
  glyph: 'remove',
  canRun(ctx) {
    const selected = hosts(ctx);
    if (selected.length === 0) return cannot(nothingSelectedReason(ctx, 'migration.reason.selectHost'));
    const { targets, skipped } = partition(ctx, selected, 'pool_eject');
    return targets.length ? CAN_RUN : cannot(noTargetReason(ctx, 'pool_eject', skipped));
  },
  confirm(ctx) {
    const { targets, skipped } = partition(ctx, hosts(ctx), 'pool_eject');
    const pool = targets[0]?.parentId ? ctx.state.index.nodes.get(targets[0].parentId) : undefined;
    return {
      title: ctx.t('pool.ejectTitle', { count: targets.length }),
      confirmLabel: ctx.t('pool.ejectOk'),
      message: ctx.t('pool.ejectWarning', { count: targets.length, name: targets[0]?.name ?? '', pool: pool?.name ?? '' }),
      targets: targets.map((n) => n.name),
      notes: leftOutNotes(ctx, skipped),
      danger: true,
    };
  },
  async run(ctx) {
    const { targets } = partition(ctx, hosts(ctx), 'pool_eject');
    await runAction(
      targets.map((n) => n.id),
      'pool_eject',
      undefined,
      (t) => t('action.pool_eject'),
    );
  },
};

export const POOL_COMMANDS: Command[] = [poolJoinCommand, poolEjectCommand];
