// React access to the commands: the context for the current selection (or a details
// pane's object) and each command's view, re-evaluated whenever the store changes.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useStore, type UiState } from '../store/store';
import { usePacedCommandIndex } from './command-index-pace';
import { buildContext } from './context';
import { viewOf, type CommandView } from './evaluate';
import { commandById } from './registry';
import type { CommandContext, CommandScope } from './types';

/**
 * What commands read from the store. The search text matters only while something is
 * selected (it may hide the selection): typing in the search box with nothing selected
 * leaves the toolbar alone. The inventory is followed at a pace (command-index-pace.ts).
 */
const commandInputs = (s: UiState) =>
  [s.info, s.settings, s.servers, s.tasks, s.selection, s.selection.length ? s.filter : '', s.selectedSnapshotId, s.inFlight, s.policies, s.selectedPolicyId, s.runnerStatus] as const;

export function useCommandContext(scope?: CommandScope): CommandContext {
  const { t, i18n } = useTranslation();
  const inputs = useStore(useShallow(commandInputs));
  const index = usePacedCommandIndex(scope?.keys);
  const scopeKey = scope?.keys.join('\n');
  // the inputs decide when the context changes; the scope is compared by its keys
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => buildContext(useStore.getState(), t, i18n.language, scope), [...inputs, index, t, i18n.language, scopeKey]);
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
