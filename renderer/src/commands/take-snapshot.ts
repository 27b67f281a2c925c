// Take a snapshot of one VM or container, without or with its memory.
import { localized } from '../../../shared/descriptor';
import { storeActions } from '../store/store';
import { memorySnapshotProblem, snapshotKindsOf } from '../tree/snapshot-kinds';
import { nodeActionReason } from './rules';
import { subjectReason } from './subject';
import { unless, type Command, type CommandContext } from './types';

function takeReason(ctx: CommandContext): string | null {
  return subjectReason(ctx) ?? nodeActionReason(ctx, ctx.subject!, 'snapshot_create');
}

function memoryReason(ctx: CommandContext): string | null {
  const vm = ctx.subject!;
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

export const takeSnapshotCommand: Command = {
  id: 'take-snapshot',
  label: (ctx) => ctx.t('command.takeSnapshot'),
  opensDialog: true,
  glyph: 'snapshot',
  canRun: (ctx) => unless(takeReason(ctx)),
  run: (ctx) => storeActions.openDialog({ kind: 'snapshotCreate', vmId: ctx.subject!.id, memory: false }),
};

export const takeMemorySnapshotCommand: Command = {
  id: 'take-snapshot-memory',
  label: (ctx) => ctx.t('command.takeSnapshotMemory'),
  opensDialog: true,
  glyph: 'snapshotMemory',
  canRun: (ctx) => unless(takeReason(ctx) ?? memoryReason(ctx)),
  run: (ctx) => storeActions.openDialog({ kind: 'snapshotCreate', vmId: ctx.subject!.id, memory: true }),
};
