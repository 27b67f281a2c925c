// Take a snapshot of the VMs and containers selected (or the one a details pane shows),
// without or with memory: one name for all of them, one task each.
import { localized } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';
import { storeActions } from '../store/store';
import { memorySnapshotProblem, snapshotKindsOf } from '../tree/snapshot-kinds';
import { leftOutNotes, nodeActionReason, nothingSelectedReason, noTargetReason, type Partition } from './rules';
import { CAN_RUN, cannot, type CanRun, type Command, type CommandContext } from './types';

const GUESTS = new Set(['vm', 'container']);

function candidates(ctx: CommandContext): InventoryNode[] {
  return ctx.subject ? [ctx.subject] : ctx.nodes.filter((n) => GUESTS.has(n.kind));
}

function memoryReason(ctx: CommandContext, vm: InventoryNode): string | null {
  const descriptor = ctx.descriptorOf(vm.serverId);
  const problem = memorySnapshotProblem(vm, snapshotKindsOf(ctx.serverById(vm.serverId), descriptor));
  switch (problem) {
    case 'platform':
      return ctx.t('reason.memoryPlatform', { platform: descriptor ? localized(descriptor.displayName, ctx.language) : vm.serverId });
    case 'container':
      return ctx.t('reason.memoryContainer');
    case 'notRunning':
      return ctx.t('reason.memoryNotRunning', { name: vm.name, state: ctx.t(`powerState.${vm.state ?? 'unknown'}`) });
    case null:
      return null;
  }
}

function split(ctx: CommandContext, memory: boolean): Partition {
  const out: Partition = { targets: [], skipped: [] };
  for (const node of candidates(ctx)) {
    const reason = nodeActionReason(ctx, node, 'snapshot_create') ?? (memory ? memoryReason(ctx, node) : null);
    if (reason) out.skipped.push({ node, reason });
    else out.targets.push(node);
  }
  return out;
}

function canTake(ctx: CommandContext, memory: boolean): CanRun {
  if (candidates(ctx).length === 0) return cannot(nothingSelectedReason(ctx, 'reason.selectGuest'));
  const { targets, skipped } = split(ctx, memory);
  return targets.length ? CAN_RUN : cannot(noTargetReason(ctx, 'snapshot_create', skipped));
}

function openDialog(ctx: CommandContext, memory: boolean): void {
  const { targets, skipped } = split(ctx, memory);
  storeActions.openDialog({ kind: 'snapshotCreate', vmIds: targets.map((n) => n.id), memory, notes: leftOutNotes(ctx, skipped) });
}

export const takeSnapshotCommand: Command = {
  id: 'take-snapshot',
  label: (ctx) => ctx.t('command.takeSnapshot'),
  opensDialog: true,
  glyph: 'snapshot',
  canRun: (ctx) => canTake(ctx, false),
  run: (ctx) => openDialog(ctx, false),
};

export const takeMemorySnapshotCommand: Command = {
  id: 'take-snapshot-memory',
  label: (ctx) => ctx.t('command.takeSnapshotMemory'),
  opensDialog: true,
  glyph: 'snapshotMemory',
  canRun: (ctx) => canTake(ctx, true),
  run: (ctx) => openDialog(ctx, true),
};
