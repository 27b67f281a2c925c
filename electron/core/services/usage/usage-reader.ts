// Reads the current usage of a set of nodes: grouped by server, each server's provider
// asked once through its usage facet (one call for many nodes where the platform has
// it), else the last point of each node's live metrics. Guests that are not running
// and kinds the platform has no source for are answered without asking the server.

import type { InventoryNode } from '../../../../shared/model';
import type { MetricSeries } from '../../../../shared/metrics';
import type { UsageFacet, UsageReading } from '../../../../shared/usage';
import { mapLimited } from '../../providers/common/concurrency';
import type { Provider, ProviderUsageReading } from '../../providers/provider';

const RUNNING = new Set(['running', 'paused', 'unhealthy']);
/** metrics queries in flight per server when a platform has no batch source */
const PER_SERVER_QUERIES = 4;

export interface UsageReaderDeps {
  node(id: string): InventoryNode | undefined;
  facet(serverId: string): UsageFacet | undefined;
  provider(serverId: string): Provider | undefined;
  log?: (level: 'warn', message: string) => void;
  now?: () => number;
}

export async function readUsage(nodeIds: readonly string[], deps: UsageReaderDeps): Promise<UsageReading[]> {
  const at = deps.now?.() ?? Date.now();
  const out = new Map<string, UsageReading>();
  const asked = new Map<string, InventoryNode[]>();
  for (const id of new Set(nodeIds)) {
    const node = deps.node(id);
    const facet = node ? deps.facet(node.serverId) : undefined;
    if (!node || !facet?.kinds.includes(node.kind)) out.set(id, { nodeId: id, at, missing: 'no-source' });
    else if (node.kind !== 'host' && !RUNNING.has(node.state ?? '')) out.set(id, { nodeId: id, at, missing: 'not-running' });
    else if (!deps.provider(node.serverId)) out.set(id, { nodeId: id, at, missing: 'not-connected' });
    else asked.set(node.serverId, [...(asked.get(node.serverId) ?? []), node]);
  }
  await Promise.all(
    [...asked].map(async ([serverId, nodes]) => {
      for (const reading of await readServer(deps.provider(serverId)!, nodes, deps, at)) out.set(reading.nodeId, reading);
    }),
  );
  return nodeIds.filter((id, i) => nodeIds.indexOf(id) === i).map((id) => out.get(id)!);
}

async function readServer(provider: Provider, nodes: InventoryNode[], deps: UsageReaderDeps, at: number): Promise<UsageReading[]> {
  try {
    const samples = provider.usage ? await provider.usage.sample(nodes.map(targetOf)) : await fromMetrics(provider, nodes);
    const byRef = new Map(samples.map((s) => [s.nativeRef, s]));
    return nodes.map((n) => readingOf(n, byRef.get(n.nativeRef), at));
  } catch (e) {
    deps.log?.('warn', `Live usage of ${nodes.length} item(s) on ${nodes[0]!.serverId} failed: ${e instanceof Error ? e.message : String(e)}`);
    return nodes.map((n) => ({ nodeId: n.id, at, missing: 'failed' as const }));
  }
}

function readingOf(node: InventoryNode, sample: ProviderUsageReading | undefined, at: number): UsageReading {
  // the configured size where the source has no total (vSphere's counters, a host's)
  const configured = typeof node.props.memory === 'number' ? node.props.memory : typeof node.props.memoryTotal === 'number' ? node.props.memoryTotal : undefined;
  const values = { cpu: finite(sample?.cpu), memoryUsed: finite(sample?.memoryUsed), memoryTotal: finite(sample?.memoryTotal) ?? finite(configured) };
  const reading: UsageReading = { nodeId: node.id, at };
  for (const [k, v] of Object.entries(values)) if (v !== undefined) reading[k as keyof typeof values] = v;
  if (values.cpu === undefined && values.memoryUsed === undefined) reading.missing = 'failed';
  return reading;
}

const targetOf = (n: InventoryNode) => ({ nativeRef: n.nativeRef, kind: n.kind });

/** The last value of each live series (a platform without a batch source: one query per node). */
async function fromMetrics(provider: Provider, nodes: InventoryNode[]): Promise<ProviderUsageReading[]> {
  const metrics = provider.metrics;
  if (!metrics) return [];
  return mapLimited(nodes, PER_SERVER_QUERIES, async (node) => {
    const answer = await metrics.query(targetOf(node), '10m');
    const last = (name: MetricSeries['metric']) => lastValue(answer.series.find((s) => s.metric === name && s.instance === undefined));
    const cpuPercent = last('cpuTotal');
    return {
      nativeRef: node.nativeRef,
      cpu: cpuPercent === undefined ? undefined : cpuPercent / 100,
      memoryUsed: last('memoryUsed'),
      memoryTotal: last('memoryTotal'),
    };
  });
}

function lastValue(series: MetricSeries | undefined): number | undefined {
  if (!series) return undefined;
  for (let i = series.values.length - 1; i >= 0; i--) {
    const v = series.values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return undefined;
}

function finite(v: number | undefined): number | undefined {
  return v !== undefined && Number.isFinite(v) && v >= 0 ? v : undefined;
}
