// Performance data (issue 15): resolves a node to its server's provider and asks it
// for the timeframe's series. The platform's facet says which node kinds and
// timeframes exist; a guest that is not running answers "not-running" for the live
// view without asking the server.

import { PolyvisorError } from '../../../shared/errors';
import type { MetricsAnswer, MetricsFacet, MetricTimeframe } from '../../../shared/metrics';
import type { InventoryNode } from '../../../shared/model';
import type { InventoryStore } from '../inventory/inventory-store';
import type { ProviderMetrics } from '../providers/provider';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { ConnectionService } from './connections';

const RUNNING = new Set(['running', 'paused', 'unhealthy']);

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
