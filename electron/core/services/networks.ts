// Networks (issue 16): a network node's tab, making and deleting networks, and a
// guest's NICs, asked of the node's server. The platform's facet says what it has;
// the server must be connected; networks and guests must be of the same server.

import { PolyvisorError } from '../../../shared/errors';
import { nodeId, type InventoryNode } from '../../../shared/model';
import type { NicList, NetworkCreateOptions, NetworkDetails, NetworkDraft, NetworksFacet } from '../../../shared/networks';
import type { ChannelHandlers, TaskInfo } from '../../../shared/contract';
import type { NetworkChannels } from '../../../shared/channels/networks';
import type { InventoryStore } from '../inventory/inventory-store';
import type { ActionResult, TaskReporter } from '../providers/provider';
import type { ProviderNetworks } from '../providers/provider-networks';
import type { ProviderRegistry } from '../providers/registry';
import type { ServerStore } from '../servers/server-store';
import type { TaskManager } from '../tasks/task-manager';
import type { ConnectionService } from './connections';

const GUEST_KINDS = new Set(['vm', 'container', 'template']);

export class NetworkService {
  constructor(
    private readonly servers: ServerStore,
    private readonly registry: ProviderRegistry,
    private readonly connections: ConnectionService,
    private readonly inventory: InventoryStore,
    private readonly tasks: TaskManager,
  ) {}

  get handlers(): Pick<ChannelHandlers, keyof NetworkChannels> {
    return {
      'networks:details': (id) => this.details(id),
      'networks:createOptions': (serverId) => this.createOptions(serverId),
      'networks:create': (serverId, draft) => this.create(serverId, draft),
      'networks:delete': (id) => this.delete(id),
      'networks:addSubnet': (id, subnet) => this.changeSubnet(id, 'subnet_add', (n, ref, r) => n.addSubnet!(ref, subnet, r)),
      'networks:removeSubnet': (id, subnetId) => this.changeSubnet(id, 'subnet_remove', (n, ref, r) => n.removeSubnet!(ref, subnetId, r)),
      'nics:list': (id) => this.nics(id),
      'nics:add': (guestId, networkId) => this.addNic(guestId, networkId),
      'nics:remove': (guestId, nicId) => this.removeNic(guestId, nicId),
      'nics:setNetwork': (guestId, nicId, networkId) => this.setNetwork(guestId, nicId, networkId),
    };
  }

  async details(nodeId: string): Promise<NetworkDetails> {
    const node = this.node(nodeId, 'network');
    return { nodeId, ...(await this.networksOf(node.serverId).details(node.nativeRef)) };
  }

  createOptions(serverId: string): Promise<NetworkCreateOptions> {
    this.servers.require(serverId);
    return this.networksOf(serverId).createOptions();
  }

  create(serverId: string, draft: NetworkDraft): TaskInfo {
    this.servers.require(serverId);
    const facet = this.facet(serverId);
    if (!facet?.create.includes(draft.kind)) throw this.unsupported(serverId, `cannot make a network of kind ${draft.kind} here`);
    const networks = this.networksOf(serverId);
    const target = { serverId, targetId: nodeId(serverId, 'server', serverId), targetName: draft.name, action: 'network_create' };
    return this.tasks.start(target, (reporter) => networks.create(draft, reporter));
  }

  delete(nodeId: string): TaskInfo {
    const node = this.node(nodeId, 'network');
    if (!this.facet(node.serverId)?.delete) throw this.unsupported(node.serverId, 'cannot delete a network here');
    const networks = this.networksOf(node.serverId);
    return this.tasks.start(this.taskOf(node, 'network_delete'), (reporter) => networks.destroy(node.nativeRef, reporter));
  }

  private changeSubnet(nodeId: string, action: 'subnet_add' | 'subnet_remove', change: (networks: ProviderNetworks, ref: string, reporter: TaskReporter) => Promise<ActionResult>): TaskInfo {
    const node = this.node(nodeId, 'network');
    const networks = this.networksOf(node.serverId);
    if (!this.facet(node.serverId)?.subnets || !networks.addSubnet || !networks.removeSubnet) throw this.unsupported(node.serverId, 'cannot change the subnets of a network here');
    return this.tasks.start(this.taskOf(node, action), (reporter) => change(networks, node.nativeRef, reporter));
  }

  async nics(guestId: string): Promise<NicList> {
    const guest = this.guest(guestId);
    return { nodeId: guestId, nics: await this.networksOf(guest.serverId).nics(guest) };
  }

  addNic(guestId: string, networkId: string): TaskInfo {
    const guest = this.guest(guestId);
    const network = this.networkOfGuest(guest, networkId);
    if (!this.facet(guest.serverId)?.nics.add) throw this.unsupported(guest.serverId, 'cannot add a NIC here');
    const networks = this.networksOf(guest.serverId);
    return this.tasks.start(this.taskOf(guest, 'nic_add'), (reporter) => networks.addNic(guest, network.nativeRef, reporter));
  }

  removeNic(guestId: string, nicId: string): TaskInfo {
    const guest = this.guest(guestId);
    if (!this.facet(guest.serverId)?.nics.remove) throw this.unsupported(guest.serverId, 'cannot remove a NIC here');
    const networks = this.networksOf(guest.serverId);
    return this.tasks.start(this.taskOf(guest, 'nic_remove'), (reporter) => networks.removeNic(guest, nicId, reporter));
  }

  setNetwork(guestId: string, nicId: string, networkId: string): TaskInfo {
    const guest = this.guest(guestId);
    const network = this.networkOfGuest(guest, networkId);
    if (!this.facet(guest.serverId)?.nics.move) throw this.unsupported(guest.serverId, "cannot change a NIC's network here");
    const networks = this.networksOf(guest.serverId);
    return this.tasks.start(this.taskOf(guest, 'nic_move'), (reporter) => networks.moveNic(guest, nicId, network.nativeRef, reporter));
  }

  private taskOf(node: InventoryNode, action: string) {
    return { serverId: node.serverId, targetId: node.id, targetName: node.name, action };
  }

  private guest(id: string): InventoryNode {
    const node = this.inventory.get(id);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
    if (!GUEST_KINDS.has(node.kind)) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'guestId', message: `${node.name} is not a VM or container.` });
    return node;
  }

  private networkOfGuest(guest: InventoryNode, networkId: string): InventoryNode {
    const network = this.node(networkId, 'network');
    if (network.serverId !== guest.serverId) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'networkId', message: `${network.name} is not a network of ${guest.name}'s server.` });
    return network;
  }

  private node(id: string, kind: 'network'): InventoryNode {
    const node = this.inventory.get(id);
    if (!node) throw new PolyvisorError({ code: 'NOT_FOUND', message: `No inventory item with id ${JSON.stringify(id)}.` });
    if (node.kind !== kind) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'nodeId', message: `${node.name} is not a network.` });
    return node;
  }

  private facet(serverId: string): NetworksFacet | undefined {
    const type = this.servers.get(serverId)?.type;
    return type === undefined ? undefined : this.registry.get(type)?.descriptor.facets.networks;
  }

  private networksOf(serverId: string): ProviderNetworks {
    const provider = this.connections.liveProvider(serverId);
    if (!provider) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: `${this.serverName(serverId)} is not connected.` });
    if (!provider.networks || !this.facet(serverId)) throw this.unsupported(serverId, 'has no networks in Polyvisor');
    return provider.networks;
  }

  private unsupported(serverId: string, what: string): PolyvisorError {
    return new PolyvisorError({ code: 'UNSUPPORTED', message: `${this.serverName(serverId)} ${what}.` });
  }

  private serverName(serverId: string): string {
    return this.servers.get(serverId)?.name ?? 'The server';
  }
}
