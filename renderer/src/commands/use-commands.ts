// React access to the commands: the context for the current selection (or a details
// pane's object) and each command's view, re-evaluated whenever the store changes.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store/store';
import { buildContext } from './context';
import { viewOf, type CommandView } from './evaluate';
import { commandById } from './registry';
import type { CommandContext, CommandScope } from './types';

export function useCommandContext(scope?: CommandScope): CommandContext {
  const { t, i18n } = useTranslation();
  const state = useStore();
  const scopeKey = scope?.keys.join('\n');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the scope is compared by its keys
  return useMemo(() => buildContext(state, t, i18n.language, scope), [state, t, i18n.language, scopeKey]);
}

/** Web mode shows and answers the web shortcuts (a browser keeps some keys for itself). */
export function isWebMode(ctx: CommandContext): boolean {
  return ctx.state.info?.mode !== 'electron';
}

export function viewsOf(ids: readonly string[], ctx: CommandContext): Map<string, CommandView> {
  const web = isWebMode(ctx);
  const views = new Map<string, CommandView>();
  for (const id of ids) {
    const command = commandById(id);
    if (command) views.set(id, viewOf(command, ctx, web));
  }
  return views;
}
