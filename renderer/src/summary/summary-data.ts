// What a summary page counts: the guests under a server, pool or host by state, its hosts,
// the versions they run, CPU and memory where the provider reports them, and what needs
// the user's attention. Pure functions over the inventory, so the pages only draw.
import type { InventoryNode, PowerState } from '../../../shared/model';

export type GuestKind = 'vm' | 'container';

export interface AttentionItem {
  /** a translated sentence's key under `summary.attention.` */
  reason: 'hostOff' | 'hostMaintenance' | 'hostDisabled' | 'guestUnknown' | 'guestUnhealthy' | 'noQuorum';
  nodeId: string;
  name: string;
}

export interface Summary {
  /** guests by kind, then by state */
  guests: Record<GuestKind, Partial<Record<PowerState, number>>>;
  templates: number;
  hosts: number;
  /** distinct versions of the hosts, pools and engines under the root */
  versions: string[];
  /** summed over the hosts, when they report them */
  cpus: number | null;
  memory: number | null;
  attention: AttentionItem[];
}

const STATE_ORDER: PowerState[] = ['running', 'paused', 'suspended', 'restarting', 'halted', 'unhealthy', 'unknown'];

/** The states with at least one guest, in a fixed order. */
export function statesPresent(counts: Partial<Record<PowerState, number>>): Array<[PowerState, number]> {
  return STATE_ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => [s, counts[s]!]);
}

export function guestTotal(counts: Partial<Record<PowerState, number>>): number {
  return Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
}

/** Whether `node` is `rootId` or lies under it (by parent ids). */
function isUnder(nodes: Map<string, InventoryNode>, node: InventoryNode, rootId: string): boolean {
  let current: InventoryNode | undefined = node;
  for (let depth = 0; current && depth < 64; depth++) {
    if (current.id === rootId) return true;
    current = current.parentId ? nodes.get(current.parentId) : undefined;
  }
  return false;
}

export const numberProp = (node: InventoryNode, ...keys: string[]): number | null => {
  for (const key of keys) {
    const v = node.props[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
};

function hostAttention(host: InventoryNode): AttentionItem | null {
  const base = { nodeId: host.id, name: host.name };
  if (host.maintenance === true || host.props.maintenanceMode === true) return { reason: 'hostMaintenance', ...base };
  if (host.state && host.state !== 'running') return { reason: 'hostOff', ...base };
  if (host.props.enabled === false) return { reason: 'hostDisabled', ...base };
  return null;
}

const emptySummary = (): Summary => ({ guests: { vm: {}, container: {} }, templates: 0, hosts: 0, versions: [], cpus: null, memory: null, attention: [] });

/** What needs the user's attention about one node, if anything. */
export function attentionOf(node: InventoryNode): AttentionItem | null {
  if (node.kind === 'vm' || node.kind === 'container') {
    if (node.state === undefined || node.state === 'unknown') return { reason: 'guestUnknown', nodeId: node.id, name: node.name };
    if (node.state === 'unhealthy') return { reason: 'guestUnhealthy', nodeId: node.id, name: node.name };
    return null;
  }
  if (node.kind === 'host') return hostAttention(node);
  if (node.kind === 'pool' && node.props.quorate === false) return { reason: 'noQuorum', nodeId: node.id, name: node.name };
  return null;
}

/** Adds one node to a summary (its versions to `versions`, sorted into the summary at the end). */
function count(summary: Summary, versions: Set<string>, node: InventoryNode): void {
  if (typeof node.props.version === 'string' && node.props.version && (node.kind === 'host' || node.kind === 'pool')) versions.add(node.props.version);
  if (node.kind === 'vm' || node.kind === 'container') {
    const state = node.state ?? 'unknown';
    const counts = summary.guests[node.kind];
    counts[state] = (counts[state] ?? 0) + 1;
  } else if (node.kind === 'template') {
    summary.templates++;
  } else if (node.kind === 'host') {
    summary.hosts++;
    const cpus = numberProp(node, 'cpus', 'vcpus');
    const memory = numberProp(node, 'memoryTotal', 'memory');
    if (cpus !== null) summary.cpus = (summary.cpus ?? 0) + cpus;
    if (memory !== null) summary.memory = (summary.memory ?? 0) + memory;
  }
  const attention = attentionOf(node);
  if (attention) summary.attention.push(attention);
}

/** The summary of everything of `serverId` (rootId null) or under the node `rootId`. */
export function summarize(nodes: Map<string, InventoryNode>, serverId: string, rootId: string | null): Summary {
  const summary = emptySummary();
  const versions = new Set<string>();
  for (const node of nodes.values()) {
    if (node.serverId !== serverId || node.controlDomain) continue;
    if (rootId !== null && !isUnder(nodes, node, rootId)) continue;
    count(summary, versions, node);
  }
  summary.versions = [...versions].sort();
  return summary;
}

/** Every listed server's whole summary in one pass over the inventory (the home page: one pass, not one per server). */
export function summarizeServers(nodes: Map<string, InventoryNode>, serverIds: readonly string[]): Map<string, Summary> {
  const byServer = new Map(serverIds.map((id) => [id, { summary: emptySummary(), versions: new Set<string>() }]));
  for (const node of nodes.values()) {
    if (node.controlDomain) continue;
    const entry = byServer.get(node.serverId);
    if (entry) count(entry.summary, entry.versions, node);
  }
  return new Map([...byServer].map(([id, { summary, versions }]) => [id, { ...summary, versions: [...versions].sort() }]));
}
