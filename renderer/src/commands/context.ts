// Builds what a command sees from the store: the visible part of the selection (or
// the details pane's object), the VM the Snapshots tab shows and its selected snapshot.
import type { TFunction } from 'i18next';
import type { ServerView } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';
import { descriptorOf } from '../providers/descriptors';
import type { UiState } from '../store/store';
import { isServerKey, serverIdOfKey } from '../tree/inventory-index';
import { hiddenKeys, treeOrder } from '../tree/search-visibility';
import type { CommandContext, CommandScope } from './types';

const SNAPSHOT_OWNERS = new Set(['vm', 'container']);

export function buildContext(state: UiState, t: TFunction, language: string, scope?: CommandScope): CommandContext {
  const servers = new Map(state.servers.map((s) => [s.id, s]));
  let keys: readonly string[];
  let hidden = 0;
  if (scope) {
    keys = scope.keys;
  } else if (state.selection.length === 0) {
    // nothing selected: nothing the search could hide (the tree is not laid out for it)
    keys = state.selection;
  } else {
    const order = treeOrder(state.servers, state.index);
    const out = hiddenKeys(order, state.selection, state.filter, state.settings?.showTemplates ?? false, state.servers, state.index);
    keys = out.size ? state.selection.filter((k) => !out.has(k)) : state.selection;
    hidden = out.size;
  }
  const selectedServers: ServerView[] = [];
  const nodes: InventoryNode[] = [];
  for (const key of keys) {
    if (isServerKey(key)) {
      const server = servers.get(serverIdOfKey(key));
      if (server) selectedServers.push(server);
    } else {
      const node = state.index.nodes.get(key);
      if (node) nodes.push(node);
    }
  }
  const subject = selectedServers.length === 0 && nodes.length === 1 && SNAPSHOT_OWNERS.has(nodes[0].kind) ? nodes[0] : null;
  const snapshotNode = subject && state.selectedSnapshotId ? state.index.nodes.get(state.selectedSnapshotId) : undefined;
  const snapshot = snapshotNode?.snapshot?.ofId === subject?.id ? (snapshotNode ?? null) : null;
  return {
    t,
    language,
    state,
    servers: selectedServers,
    nodes,
    hidden,
    subject,
    snapshot,
    policy: state.selectedPolicyId ? (state.policies.find((p) => p.id === state.selectedPolicyId) ?? null) : null,
    serverById: (id) => servers.get(id),
    descriptorOf: (serverId) => descriptorOf(state, servers.get(serverId)?.type),
  };
}
