// Networks (issue 16): a network node's tab, making and deleting networks, and a guest's NICs.
import type { TaskInfo } from '../contract';
import type { NicList, NetworkCreateOptions, NetworkDetails, NetworkDraft, SubnetDraft } from '../networks';

export interface NetworkChannels {
  /** what carries a network (hosts' interfaces) and the guests attached to it */
  'networks:details': { args: [nodeId: string]; result: NetworkDetails };
  /** the kinds of network the server takes and their choices (interfaces, switches, zones, drivers) */
  'networks:createOptions': { args: [serverId: string]; result: NetworkCreateOptions };
  /** makes a network or VLAN; resultId = the new network's inventory id */
  'networks:create': { args: [serverId: string, draft: NetworkDraft]; result: TaskInfo };
  'networks:delete': { args: [nodeId: string]; result: TaskInfo };
  /** a subnet added to a network that has them (NetworkDetails.subnets), applied at once */
  'networks:addSubnet': { args: [nodeId: string, subnet: SubnetDraft]; result: TaskInfo };
  /** removes the subnet with that id (SdnSubnet.id), applied at once */
  'networks:removeSubnet': { args: [nodeId: string, subnetId: string]; result: TaskInfo };
  /** a guest's NICs with their network, MAC, addresses and link */
  'nics:list': { args: [guestId: string]; result: NicList };
  /** a new NIC on the network node (plugged at once where the guest runs and the platform can) */
  'nics:add': { args: [guestId: string, networkId: string]; result: TaskInfo };
  'nics:remove': { args: [guestId: string, nicId: string]; result: TaskInfo };
  /** moves a NIC to another network of the guest's server */
  'nics:setNetwork': { args: [guestId: string, nicId: string, networkId: string]; result: TaskInfo };
}

export const NETWORK_CHANNELS: Record<keyof NetworkChannels, true> = {
  'networks:details': true,
  'networks:createOptions': true,
  'networks:create': true,
  'networks:delete': true,
  'networks:addSubnet': true,
  'networks:removeSubnet': true,
  'nics:list': true,
  'nics:add': true,
  'nics:remove': true,
  'nics:setNetwork': true,
};
