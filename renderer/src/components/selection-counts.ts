// Counts for a multi-selection: per kind, and within each kind per state (translation keys).
import type { ServerView } from '../../../shared/contract';
import type { InventoryNode } from '../../../shared/model';

export interface KindCount {
  kind: string;
  count: number;
  /** key: a translation key (powerState.* or connection.*) */
  states: Array<{ key: string; count: number }>;
}

export function selectionCounts(servers: readonly ServerView[], nodes: readonly InventoryNode[]): KindCount[] {
  const byKind = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const add = (kind: string, stateKey: string | null) => {
    totals.set(kind, (totals.get(kind) ?? 0) + 1);
    const states = byKind.get(kind) ?? new Map<string, number>();
    byKind.set(kind, states);
    if (stateKey) states.set(stateKey, (states.get(stateKey) ?? 0) + 1);
  };
  for (const server of servers) add('server', `connection.${server.state}`);
  for (const node of nodes) add(node.kind, node.state ? `powerState.${node.state}` : null);
  return [...totals].map(([kind, count]) => ({
    kind,
    count,
    states: [...byKind.get(kind)!].map(([key, n]) => ({ key, count: n })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
  }));
}
