// A renderer store state and command contexts for unit tests: servers, VMs, the built-in
// descriptors (optionally with changed facets), in any language.
import type { AppInfo, ServerView } from '../../../shared/contract';
import type { ProviderFacets } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';
import { builtinProviders } from '../../../electron/core/providers/builtin';
import i18n from '../../../renderer/src/i18n';
import { buildContext } from '../../../renderer/src/commands/context';
import { evaluate } from '../../../renderer/src/commands/evaluate';
import { commandById } from '../../../renderer/src/commands/registry';
import type { CommandScope } from '../../../renderer/src/commands/types';
import { useStore, type UiState } from '../../../renderer/src/store/store';
import { buildIndex } from '../../../renderer/src/tree/inventory-index';

/** The built-in providers, with the facets a test sets for a type (so it does not depend on what a provider has today). */
export function appInfo(facets: Record<string, Partial<ProviderFacets>> = {}): AppInfo {
  return {
    version: 't',
    mode: 'web',
    keychain: { available: true },
    storeProblems: [],
    settings: { reconnectAtStart: false, showTemplates: false, language: 'en', theme: 'system' },
    providers: builtinProviders.map((f) => ({ ...f.descriptor, facets: { ...f.descriptor.facets, ...facets[f.descriptor.type] } })),
  };
}

export const info = appInfo();

export const server = (id: string, type: string, state: ServerView['state'] = 'connected'): ServerView => ({
  id,
  type,
  name: `${type} server`,
  host: 'h',
  port: 1,
  username: 'root',
  autoConnect: false,
  rememberPassword: false,
  hasStoredPassword: false,
  options: {},
  state,
});

export const vm = (serverId: string, name: string, extra: Partial<InventoryNode> = {}): InventoryNode => ({
  id: `${serverId}:vm:${name}`,
  serverId,
  kind: 'vm',
  name,
  parentId: null,
  nativeRef: name,
  state: 'running',
  allowed: ['shutdown', 'reboot'],
  props: { uuid: `uuid-${name}` },
  ...extra,
});

export const snapshotOf = (owner: InventoryNode, name: string, extra: Partial<NonNullable<InventoryNode['snapshot']>> = {}, allowed: InventoryNode['allowed'] = []): InventoryNode => ({
  id: `${owner.serverId}:snapshot:${name}`,
  serverId: owner.serverId,
  kind: 'snapshot',
  name,
  parentId: owner.id,
  nativeRef: name,
  allowed,
  props: {},
  snapshot: { ofId: owner.id, parentSnapshotId: null, time: '2026-01-01T00:00:00Z', withMemory: false, description: '', ...extra },
});

export function state(changes: Partial<UiState> & { nodes?: InventoryNode[] }): UiState {
  const { nodes = [], ...rest } = changes;
  return { ...useStore.getState(), info, settings: info.settings, index: buildIndex(new Map(nodes.map((n) => [n.id, n])), 1), ...rest };
}

export const ctxOf = (s: UiState, language = 'en', scope?: CommandScope) => buildContext(s, i18n.getFixedT(language), language, scope);
export const canRun = (id: string, s: UiState, scope?: CommandScope) => evaluate(commandById(id)!, ctxOf(s, 'en', scope));
