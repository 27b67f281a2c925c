// Open a VM in a viewer outside the window (issue 18): VMware Remote Console, a SPICE
// viewer, Remote Desktop, SSH. Each is offered where the platform has it (descriptor
// facet externalViewers) and the guest qualifies (its OS and address known).
import { EXTERNAL_VIEWERS, type ExternalViewer } from '../../../shared/external-consoles';
import { toErrorInfo } from '../../../shared/errors';
import { getClient } from '../client';
import { recordOutcome, viewerBlock } from '../console/external-viewers';
import { disconnectedReason } from './rules';
import { subjectReason } from './subject';
import { CAN_RUN, cannot, type Command } from './types';

function viewerCommand(viewer: ExternalViewer): Command {
  return {
    id: `open-${viewer}`,
    label: (ctx) => ctx.t(`console.external.open.${viewer}`),
    glyph: 'console',
    canRun(ctx) {
      const reason = subjectReason(ctx) ?? disconnectedReason(ctx, ctx.serverById(ctx.subject!.serverId));
      if (reason) return cannot(reason);
      const vm = ctx.subject!;
      const block = viewerBlock(vm, viewer, ctx.descriptorOf(vm.serverId)?.facets);
      return block ? cannot(ctx.t(block, { name: vm.name })) : CAN_RUN;
    },
    async run(ctx) {
      const vm = ctx.subject!;
      try {
        recordOutcome(vm.id, { viewer, answer: await getClient().client.invoke('console:external', vm.id, viewer) });
      } catch (e) {
        recordOutcome(vm.id, { viewer, error: toErrorInfo(e) });
      }
    },
  };
}

export const EXTERNAL_VIEWER_COMMANDS: readonly Command[] = EXTERNAL_VIEWERS.map(viewerCommand);
