// Show the console of one VM or container, where its server offers one.
import { consoleProtocolsFor } from '../console/console-protocols';
import { storeActions } from '../store/store';
import { disconnectedReason } from './rules';
import { subjectReason } from './subject';
import { CAN_RUN, cannot, type Command } from './types';

export const openConsoleCommand: Command = {
  id: 'open-console',
  label: (ctx) => ctx.t('command.openConsole'),
  glyph: 'console',
  canRun(ctx) {
    const reason = subjectReason(ctx) ?? disconnectedReason(ctx, ctx.serverById(ctx.subject!.serverId));
    if (reason) return cannot(reason);
    const vm = ctx.subject!;
    const offered = ctx.serverById(vm.serverId)?.capabilities ?? ctx.descriptorOf(vm.serverId)?.facets;
    return consoleProtocolsFor(vm, offered).length ? CAN_RUN : cannot(ctx.t('console.unavailable'));
  },
  run: () => storeActions.setDetailsTab('console'),
};
