// Reads the networks for the tree (issue 16): every online node's interfaces and the
// cluster's SDN vnets and zones at load; then, with each poll, the SDN and one node's
// interfaces in rotation (PVE has no event for a network change); a node at once after
// Polyvisor changed it. A server that will not show them (no SDN, no permission) shows none.

import { toErrorInfo } from '../../../../shared/errors';
import type { ProviderConfig } from '../provider';
import type { PveClient } from './client';
import type { ClusterCache } from './cluster-cache';
import { NODES_AT_ONCE, nodePath, tolerable } from './maintenance-mark';
import { forEachLimited } from '../common/concurrency';
import { readInterfaces, readVnets, readZones } from './network-nodes';

export class NetworkWatch {
  private cursor = 0;

  constructor(
    private readonly client: PveClient,
    private readonly cache: ClusterCache,
    private readonly log?: ProviderConfig['log'],
  ) {}

  async read(signal: AbortSignal, allNodes: boolean): Promise<void> {
    const sdn = this.readSdn(signal);
    const online = this.cache
      .hostFacts()
      .filter((h) => h.online)
      .map((h) => h.name);
    const pick = allNodes ? online : online.length ? [online[this.cursor++ % online.length]] : [];
    await Promise.all([sdn, forEachLimited(pick, NODES_AT_ONCE, (node) => this.readNode(node, signal))]);
  }

  async readNode(node: string, signal?: AbortSignal): Promise<void> {
    try {
      this.cache.setNodeNetwork(node, await this.client.get(`${nodePath(node)}/network`, readInterfaces, undefined, signal));
    } catch (err) {
      if (!tolerable(err)) throw err;
      this.log?.('debug', `${this.client.name}: network of ${node} not read: ${toErrorInfo(err).message}`);
    }
  }

  async readSdn(signal?: AbortSignal): Promise<void> {
    try {
      const [vnets, zones] = await Promise.all([
        this.client.get('/cluster/sdn/vnets', readVnets, { pending: 1 }, signal),
        this.client.get('/cluster/sdn/zones', readZones, { pending: 1 }, signal),
      ]);
      this.cache.setSdn(vnets, zones);
    } catch (err) {
      if (!tolerable(err)) throw err;
      this.log?.('debug', `${this.client.name}: SDN not read: ${toErrorInfo(err).message}`);
    }
  }
}
