// Derived views of the store used by several components.
import type { ServerView } from '../../../shared/contract';
import type { ActionName, InventoryNode, PowerAction } from '../../../shared/model';
import { isServerKey, serverIdOfKey } from '../tree/inventory-index';
import type { UiState } from './store';

export function selectedNodes(state: Pick<UiState, 'selection' | 'index'>): InventoryNode[] {
  const out: InventoryNode[] = [];
  for (const key of state.selection) {
    const node = state.index.nodes.get(key);
    if (node) out.push(node);
  }
  return out;
}

export function selectedServers(state: Pick<UiState, 'selection' | 'servers'>): ServerView[] {
  const ids = new Set(state.selection.filter(isServerKey).map(serverIdOfKey));
  return state.servers.filter((s) => ids.has(s.id));
}

/** The server the focused row belongs to (a server row or any node of it). */
export function focusedServer(state: Pick<UiState, 'focusKey' | 'servers' | 'index'>): ServerView | null {
  const key = state.focusKey;
  if (!key) return null;
  const serverId = isServerKey(key) ? serverIdOfKey(key) : state.index.nodes.get(key)?.serverId;
  return state.servers.find((s) => s.id === serverId) ?? null;
}

/**
 * Bulk actions: an action is enabled when at least one selected node allows it,
 * and it runs on exactly those nodes (as XenCenter does for a mixed selection).
 */
export function actionTargets(nodes: InventoryNode[], action: ActionName): string[] {
  return nodes.filter((n) => n.allowed.includes(action)).map((n) => n.id);
}

export const TOOLBAR_POWER_ACTIONS: PowerAction[] = ['start', 'shutdown', 'reboot', 'suspend', 'resume', 'force_shutdown', 'force_reboot'];
