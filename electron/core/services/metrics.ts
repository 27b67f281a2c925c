// Performance data (issue 15): resolves a node to its server's provider and asks it
// for the timeframe's series. The platform's facet says which node kinds and
// timeframes exist; a guest that is not running answers "not-running" for the live
// view without asking the server.

import { PolyvisorError } from '../../../shared/errors';
import type { MetricsAnswer, MetricsFacet, MetricTimeframe } from '../../../shared/metrics';
import type { InventoryNode } from '../../../shared/model';
import type { InventoryStore } from '../inventory/inventory-store';
import { forEachLimited } from '../providers/common/concurrency';
import type { ProviderMetrics } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { ConnectionService } from './connections';

const RUNNING = new Set(['running', 'paused', 'unhealthy']);
/** the live window threshold rules read back the first time (the server's history judges a rule's duration) */
const LIVE_WINDOW_S = 600;
/** node-by-node queries in flight at once */
const SINGLE_QUERIES = 4;

export interface LiveRequest {
  nodeId: string;
  /** read only what is newer (the caller has seen the readings up to here); absent: the whole live window */
  sinceSeconds?: number;
}

export class MetricsService {
  constructor(
    private readonly servers: ServerStore,
    private readonly registry: ProviderRegistry,
    private readonly connections: ConnectionService,
    private readonly inventory: InventoryStore,
  ) {}

  async query(nodeId: string, timeframe: MetricTimeframe): Promise<MetricsAnswer> {
    const node = this.inventory.get(nodeId);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(nodeId)}.` });
    const facet = this.facetOf(node);
    if (!facet || !facet.kinds.includes(node.kind)) return emptyAnswer(nodeId, timeframe, 0, 'no-metrics');
    const step = facet.steps[timeframe];
    if (step === undefined) return emptyAnswer(nodeId, timeframe, 0, 'no-history');
    const guest = node.kind === 'vm' || node.kind === 'container';
    if (guest && timeframe === '10m' && !RUNNING.has(node.state ?? '')) return emptyAnswer(nodeId, timeframe, step, 'not-running');
    const answer = await this.metricsOf(node).query({ nativeRef: node.nativeRef, kind: node.kind }, timeframe);
    return { nodeId, ...answer };
  }

  /**
   * The live series of many nodes (threshold rules): each server whose provider reads many at
   * once asked once, from the oldest `since` among its nodes; the others node by node (10 minutes).
   * A failure is the answer of the nodes it concerns.
   */
  async liveMany(requests: readonly LiveRequest[], nowSeconds = Date.now() / 1000): Promise<Map<string, MetricsAnswer | Error>> {
    const out = new Map<string, MetricsAnswer | Error>();
    const batched = new Map<string, Array<{ node: InventoryNode; since: number }>>();
    const single: string[] = [];
    for (const r of requests) {
      const node = this.inventory.get(r.nodeId);
      const provider = node && this.connections.liveProvider(node.serverId);
      const eligible = node && provider?.metrics?.liveSince && this.facetOf(node)?.kinds.includes(node.kind) && (node.kind === 'host' || RUNNING.has(node.state ?? ''));
      if (!eligible) single.push(r.nodeId);
      else batched.set(node.serverId, [...(batched.get(node.serverId) ?? []), { node, since: r.sinceSeconds ?? nowSeconds - LIVE_WINDOW_S }]);
    }
    await Promise.all([
      ...[...batched.values()].map(async (nodes) => {
        const since = Math.min(...nodes.map((n) => n.since));
        try {
          const answers = await this.metricsOf(nodes[0]!.node).liveSince!(nodes.map(({ node }) => ({ nativeRef: node.nativeRef, kind: node.kind })), since);
          for (const { node } of nodes) out.set(node.id, { nodeId: node.id, ...(answers.get(node.nativeRef) ?? { timeframe: '10m', stepSeconds: 0, times: [], series: [] }) });
        } catch (e) {
          for (const { node } of nodes) out.set(node.id, e instanceof Error ? e : new Error(String(e)));
        }
      }),
      forEachLimited(single, SINGLE_QUERIES, async (nodeId) => {
        out.set(nodeId, await this.query(nodeId, '10m').catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
      }),
    ]);
    return out;
  }

  private facetOf(node: InventoryNode): MetricsFacet | undefined {
    const type = this.servers.get(node.serverId)?.type;
    return type === undefined ? undefined : this.registry.get(type)?.descriptor.facets.metrics;
  }

  private metricsOf(node: InventoryNode): ProviderMetrics {
    const provider = this.connections.liveProvider(node.serverId);
    const name = this.servers.get(node.serverId)?.name ?? 'The server';
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${name} is not connected.` });
    if (!provider.metrics) throw new PolyvisorError({ code: 'UNSUPPORTED', message: `${name} has no performance data here.` });
    return provider.metrics;
  }
}

function emptyAnswer(nodeId: string, timeframe: MetricTimeframe, stepSeconds: number, empty: MetricsAnswer['empty']): MetricsAnswer {
  return { nodeId, timeframe, stepSeconds, times: [], series: [], empty };
}
