// Copy the selected object's UUID to the clipboard.
import { toErrorInfo } from '../../../shared/errors';
import { storeActions } from '../store/store';
import { singleSelectionReason } from './rules';
import { unless, type Command, type CommandContext } from './types';

function uuidOf(ctx: CommandContext): string | null {
  const uuid = ctx.nodes.length === 1 && ctx.servers.length === 0 ? ctx.nodes[0].props.uuid : undefined;
  return typeof uuid === 'string' && uuid ? uuid : null;
}

export const copyUuidCommand: Command = {
  id: 'copy-uuid',
  label: (ctx) => ctx.t('command.copyUuid'),
  glyph: 'copy',
  canRun: (ctx) => unless(singleSelectionReason(ctx) ?? (uuidOf(ctx) ? null : ctx.t('reason.noUuid'))),
  async run(ctx) {
    const uuid = uuidOf(ctx)!;
    try {
      await navigator.clipboard.writeText(uuid);
      storeActions.inform(ctx.t('notice.copied', { text: uuid }));
    } catch (e) {
      storeActions.notify(toErrorInfo(e), ctx.t('notice.copyFailed'));
    }
  },
};
