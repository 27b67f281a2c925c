// What a provider does with networks (issue 16; descriptor facet `networks`): a network
// node's tab, making and deleting networks, and a guest's NICs. Network nodes themselves
// come with the inventory. Ids of networks and guests are native refs; answers carry
// inventory ids (nodeId(serverId, …)).

import type { NicInfo, NetworkCreateOptions, NetworkDetails, NetworkDraft, SubnetDraft } from '../../../shared/networks';
import type { ActionResult, TaskReporter } from './provider';

export type GuestTarget = { nativeRef: string; kind: string };

export interface ProviderNetworks {
  /** the interfaces that carry the network and the guests attached to it */
  details(networkRef: string): Promise<Omit<NetworkDetails, 'nodeId'>>;
  /** the kinds of network this server takes, with their choices */
  createOptions(): Promise<NetworkCreateOptions>;
  /** makes the network; resolves with resultId = its inventory id */
  create(draft: NetworkDraft, task: TaskReporter): Promise<ActionResult>;
  /** deletes the network (its VLANs, port group, vnet); the server's refusal when guests still use it */
  destroy(networkRef: string, task: TaskReporter): Promise<ActionResult>;
  /** adds a subnet to a network that lists them in its details (Proxmox SDN vnet) */
  addSubnet?(networkRef: string, subnet: SubnetDraft, task: TaskReporter): Promise<ActionResult>;
  removeSubnet?(networkRef: string, subnetId: string, task: TaskReporter): Promise<ActionResult>;
  nics(guest: GuestTarget): Promise<NicInfo[]>;
  addNic(guest: GuestTarget, networkRef: string, task: TaskReporter): Promise<ActionResult>;
  removeNic(guest: GuestTarget, nicId: string, task: TaskReporter): Promise<ActionResult>;
  moveNic(guest: GuestTarget, nicId: string, networkRef: string, task: TaskReporter): Promise<ActionResult>;
}
