// Show the log of one container, on platforms whose containers have one.
import { storeActions } from '../store/store';
import { subjectReason } from './subject';
import { CAN_RUN, cannot, type Command } from './types';

export const showLogsCommand: Command = {
  id: 'show-logs',
  label: (ctx) => ctx.t('command.showLogs'),
  glyph: 'logs',
  canRun(ctx) {
    const reason = subjectReason(ctx);
    if (reason) return cannot(reason);
    const vm = ctx.subject!;
    const logs = vm.kind === 'container' && (ctx.descriptorOf(vm.serverId)?.facets.logs ?? false);
    return logs ? CAN_RUN : cannot(ctx.t('reason.noLogs'));
  },
  run: () => storeActions.setDetailsTab('logs'),
};
