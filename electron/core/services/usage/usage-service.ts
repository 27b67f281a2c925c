// Wires the live usage sampler into the core: its facets and providers from the
// registry and connections, its readings out as `usage:changed`, its channels.

import type { ChannelHandlers } from '../../../../shared/contract';
import type { UsageChannels } from '../../../../shared/channels/usage';
import type { UsageReading } from '../../../../shared/usage';
import type { InventoryStore } from '../../inventory/inventory-store';
import type { ProviderConfig } from '../../providers/provider';
import type { ProviderRegistry } from '../../providers/registry';
import type { ServerStore } from '../../servers/server-store';
import type { ConnectionService } from '../connections';
import { LiveUsage } from './live-usage';

export interface UsageServiceDeps {
  servers: ServerStore;
  registry: ProviderRegistry;
  connections: ConnectionService;
  inventory: InventoryStore;
  emit(payload: { readings: UsageReading[] }): void;
  log?: ProviderConfig['log'];
  intervalMs?: number;
}

export function createUsageService(deps: UsageServiceDeps): { sampler: LiveUsage; handlers: Pick<ChannelHandlers, keyof UsageChannels> } {
  const sampler = new LiveUsage({
    node: (id) => deps.inventory.get(id),
    facet: (serverId) => {
      const type = deps.servers.get(serverId)?.type;
      return type === undefined ? undefined : deps.registry.get(type)?.descriptor.facets.metrics?.usage;
    },
    provider: (serverId) => deps.connections.liveProvider(serverId),
    log: deps.log,
    intervalMs: deps.intervalMs,
  });
  sampler.onReadings((readings) => deps.emit({ readings }));
  return {
    sampler,
    handlers: {
      'usage:watch': (watch) => sampler.watch(watch),
      'usage:read': (nodeIds) => sampler.read(nodeIds),
    },
  };
}
