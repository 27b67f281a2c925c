// Live usage of Proxmox VE nodes and guests: the cpu/mem/maxmem of each entry of the
// /cluster/resources answer the inventory polls anyway (every few seconds), so the
// columns cost no request of their own.

import type { ProviderUsage, ProviderUsageReading } from '../provider';
import type { ClusterCache } from './cluster-cache';
import type { PveResource } from './model-map';

export class ProxmoxUsage implements ProviderUsage {
  constructor(private readonly cache: () => ClusterCache) {}

  async sample(targets: Array<{ nativeRef: string; kind: string }>): Promise<ProviderUsageReading[]> {
    const cache = this.cache();
    const out: ProviderUsageReading[] = [];
    for (const t of targets) {
      const entry: PveResource | undefined = t.kind === 'host' ? cache.hostEntry(t.nativeRef) : cache.guest(t.nativeRef);
      if (entry && entry.status !== 'offline') out.push({ nativeRef: t.nativeRef, cpu: entry.cpu, memoryUsed: entry.mem, memoryTotal: entry.maxmem });
    }
    return out;
  }
}
