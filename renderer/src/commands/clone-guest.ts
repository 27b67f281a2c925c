// Clone a VM, container or template (XenCenter's Copy VM): the dialog asks for the
// new name and, where the platform has both, a fast (copy-on-write) clone or a full copy.
import { storeActions } from '../store/store';
import { lifecycleReason } from './guest-facet';
import { labelFor, singleSelectionReason } from './rules';
import { cannot, unless, type Command } from './types';

const CLONEABLE = new Set(['vm', 'container', 'template']);

export const cloneGuestCommand: Command = {
  id: 'clone-guest',
  label: (ctx) => labelFor(ctx, 'clone', ctx.nodes),
  opensDialog: true,
  glyph: 'copy',
  canRun(ctx) {
    const single = singleSelectionReason(ctx);
    if (single) return cannot(single);
    const node = ctx.nodes[0];
    if (!node || !CLONEABLE.has(node.kind)) return cannot(ctx.t('reason.selectGuest'));
    return unless(lifecycleReason(ctx, node, 'clone', (f) => f.clone.length > 0));
  },
  run: (ctx) => storeActions.openDialog({ kind: 'cloneGuest', nodeId: ctx.nodes[0].id }),
};
