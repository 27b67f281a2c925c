// What a surface shows for a command in a context: label, enablement and reason.
import { displayAccelerator } from './accelerator';
import type { CanRun, Command, CommandContext } from './types';
import type { GlyphName } from '../components/Icons';

export interface CommandView {
  id: string;
  label: string;
  glyph?: GlyphName;
  enabled: boolean;
  /** why it is disabled, in the user's language */
  reason?: string;
  checked?: boolean;
  /** the keys, as the user reads them ("Ctrl+N") */
  keys?: string;
}

/** A command being submitted cannot run again until the core answered (no double run on a double click). */
export function evaluate(command: Command, ctx: CommandContext): CanRun {
  if (ctx.state.inFlight.has(command.id)) return { ok: false, reason: ctx.t('reason.inProgress') };
  return command.canRun(ctx);
}

export function viewOf(command: Command, ctx: CommandContext, web: boolean): CommandView {
  const can = evaluate(command, ctx);
  const shortcut = web && command.webShortcut ? command.webShortcut : command.shortcut;
  return {
    id: command.id,
    label: command.label(ctx),
    glyph: command.glyph,
    enabled: can.ok,
    reason: can.ok ? undefined : can.reason,
    checked: command.checked?.(ctx),
    keys: shortcut ? displayAccelerator(shortcut) : undefined,
  };
}
