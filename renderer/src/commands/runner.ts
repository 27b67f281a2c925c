// Runs a command by id from any surface: checks it can run, asks for confirmation
// when it wants one, keeps it from running twice while it is being submitted, and
// reports a failure as a notice.
import { toErrorInfo } from '../../../shared/errors';
import i18n from '../i18n';
import { storeActions, useStore, type ConfirmAnswers } from '../store/store';
import { buildContext } from './context';
import { evaluate } from './evaluate';
import { commandById } from './registry';
import type { Command, CommandContext, CommandScope } from './types';

export function currentContext(scope?: CommandScope): CommandContext {
  return buildContext(useStore.getState(), i18n.t, i18n.language, scope);
}

async function submit(command: Command, ctx: CommandContext, answers?: ConfirmAnswers): Promise<void> {
  if (!storeActions.beginCommand(command.id)) return;
  try {
    await command.run(ctx, answers);
  } catch (e) {
    storeActions.notify(toErrorInfo(e), i18n.t('notice.commandFailed', { command: command.label(ctx) }));
  } finally {
    storeActions.endCommand(command.id);
  }
}

/** Runs the command if it can run now; false when it cannot (its reason is on its buttons). */
export function runCommand(id: string, scope?: CommandScope): boolean {
  const command = commandById(id);
  if (!command) {
    storeActions.notify({ code: 'INTERNAL', message: `No command "${id}" in this build.` }, i18n.t('notice.unknownCommand', { id }));
    return false;
  }
  const ctx = currentContext(scope);
  if (!evaluate(command, ctx).ok) return false;
  const request = command.confirm?.(ctx) ?? null;
  if (request) storeActions.openDialog({ kind: 'confirm', request, onConfirm: (answers) => void submit(command, ctx, answers) });
  else void submit(command, ctx);
  return true;
}
