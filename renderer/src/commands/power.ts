// The power actions (start, shut down, reboot, …) on every selected VM, container or
// host the server allows them for. Disruptive ones ask first, naming their targets;
// whatever is left out (hidden by the search, not allowed now) is said, never skipped silently.
import type { TFunction } from 'i18next';
import type { InventoryNode, PowerAction } from '../../../shared/model';
import type { GlyphName } from '../components/Icons';
import { runAction } from '../store/requests';
import type { ConfirmRequest } from '../store/store';
import { reportWhenFinished } from './bulk-outcome';
import i18n from '../i18n';
import { labelFor, leftOutNotes, noTargetReason, nothingSelectedReason, partition } from './rules';
import { CAN_RUN, cannot, type Command, type CommandContext } from './types';

const POWERED_KINDS = new Set(['vm', 'container', 'host', 'project']);

/** Always asked: the guest loses its running state or its work in progress. */
const ALWAYS_CONFIRM = new Set<PowerAction>(['shutdown', 'force_shutdown', 'reboot', 'force_reboot']);
/** Asked when more than one object is affected. */
const CONFIRM_MANY = new Set<PowerAction>(['suspend', 'pause']);

interface PowerSpec {
  glyph: GlyphName;
  shortcut?: string;
}

const SPECS: Record<PowerAction, PowerSpec> = {
  start: { glyph: 'start', shortcut: 'CmdOrCtrl+B' },
  shutdown: { glyph: 'shutdown', shortcut: 'CmdOrCtrl+E' },
  force_shutdown: { glyph: 'force' },
  reboot: { glyph: 'reboot', shortcut: 'CmdOrCtrl+R' },
  force_reboot: { glyph: 'forceReboot' },
  suspend: { glyph: 'suspend', shortcut: 'CmdOrCtrl+Y' },
  resume: { glyph: 'resume' },
  pause: { glyph: 'pause' },
  unpause: { glyph: 'resume' },
};

function candidates(ctx: CommandContext): InventoryNode[] {
  return ctx.nodes.filter((n) => POWERED_KINDS.has(n.kind));
}

function powerCommand(action: PowerAction): Command {
  const spec = SPECS[action];
  const label = (ctx: CommandContext) => labelFor(ctx, action, candidates(ctx));
  const confirm = (ctx: CommandContext): ConfirmRequest | null => {
    const { targets, skipped } = partition(ctx, candidates(ctx), action);
    const asked = ALWAYS_CONFIRM.has(action) || (CONFIRM_MANY.has(action) && targets.length > 1) || ctx.hidden > 0;
    if (!asked) return null;
    const name = label(ctx);
    return {
      title: name,
      message: ctx.t('confirm.power', { action: name, count: targets.length }),
      confirmLabel: name,
      danger: action.startsWith('force_'),
      targets: targets.map((n) => n.name),
      notes: leftOutNotes(ctx, skipped),
    };
  };
  return {
    id: action,
    label,
    glyph: spec.glyph,
    shortcut: spec.shortcut,
    canRun(ctx) {
      const nodes = candidates(ctx);
      if (nodes.length === 0) return cannot(nothingSelectedReason(ctx, 'reason.selectGuest'));
      const { targets, skipped } = partition(ctx, nodes, action);
      return targets.length ? CAN_RUN : cannot(noTargetReason(ctx, action, skipped));
    },
    confirm,
    async run(ctx) {
      const { targets, skipped } = partition(ctx, candidates(ctx), action);
      // the action's name and reasons in the language the toast is read in (it may change while it shows)
      const inLanguage = (t: TFunction): CommandContext => ({ ...ctx, t, language: i18n.language });
      const name = (t: TFunction) => labelFor(inLanguage(t), action, candidates(ctx));
      const started = await runAction(
        targets.map((n) => n.id),
        action,
        undefined,
        name,
      );
      // refused as a whole: the notice and the task history say so already
      if (started.length === 0 && targets.length > 0) return;
      reportWhenFinished(ctx.t, name, started, (t) => (t === ctx.t ? skipped : partition(inLanguage(t), candidates(ctx), action).skipped));
    },
  };
}

export const POWER_COMMANDS: Command[] = (Object.keys(SPECS) as PowerAction[]).map(powerCommand);
