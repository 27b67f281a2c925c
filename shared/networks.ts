// Networks (issue 16): XAPI networks (with their PIFs, bonds and VLANs), Proxmox VE
// bridges, VLANs and SDN vnets, vSphere standard networks, distributed switches and
// their port groups, and Docker networks, in one shape. A network node carries it
// in `network`; its tab asks the provider for what is attached (`network:details`).

/** The kind of network, in one word for every platform. */
export type NetworkType =
  /** a host bridge on a physical NIC (XAPI network on a PIF, Proxmox Linux/OVS bridge) */
  | 'bridge'
  /** a tagged VLAN on a NIC or bond */
  | 'vlan'
  /** a bond of NICs (XAPI Bond, Proxmox bond) */
  | 'bond'
  /** a network with no NIC: its VMs reach only each other (XAPI single-server private network) */
  | 'internal'
  /** a software-defined network (Proxmox SDN vnet in its zone) */
  | 'sdn'
  /** a vSphere standard network (a port group of a host's standard vSwitch) */
  | 'standard'
  /** a vSphere distributed switch: its port groups are its children */
  | 'dvswitch'
  /** a port group of a distributed switch */
  | 'dvportgroup'
  /** a Docker network (its driver in `driver`) */
  | 'docker';

export const NETWORK_TYPES: readonly NetworkType[] = ['bridge', 'vlan', 'bond', 'internal', 'sdn', 'standard', 'dvswitch', 'dvportgroup', 'docker'];

/** What the tree and the network tab show of one network. Null where the server does not say. */
export interface NetworkInfo {
  type: NetworkType;
  /** the platform's own word: a Docker driver (bridge, overlay, macvlan), a Proxmox interface or SDN zone type, a bond mode */
  driver?: string;
  /** the VLAN tag (802.1Q), null when untagged */
  vlan: number | null;
  mtu: number | null;
  /** the bridge or switch it rides: XAPI bridge (xenbr0), Proxmox interface, the vSphere switch's name */
  bridge: string | null;
  /** inventory ids of the hosts that have it (XAPI hosts with a PIF on it, Proxmox nodes, vSphere hosts) */
  hostIds: string[];
  /** addresses it hands out, where the platform says (Docker IPAM subnets, Proxmox CIDR) */
  subnets?: string[];
}

/** A physical (or bonded, or VLAN) interface that carries a network on one host: XenCenter's NIC list. */
export interface NetworkInterface {
  /** the provider's own reference (PIF ref, Proxmox iface name, vSphere pnic key) */
  ref: string;
  /** the host it is on: inventory id and name */
  hostId: string | null;
  hostName: string;
  /** eth0, bond0, vmnic0, vmbr0 … */
  device: string;
  mac: string | null;
  vlan: number | null;
  /** the link is up (XAPI PIF_metrics.carrier, Proxmox active) — null where unknown */
  connected: boolean | null;
  /** its address, as the server configures it */
  ip: string | null;
  /** what it is: physical, bond, vlan, bridge, as the platform says */
  kind: string;
}

/** A guest attached to a network, with its NIC there. */
export interface NetworkAttachment {
  guestId: string;
  guestName: string;
  /** the NIC's device (0, net0, "Network adapter 1", eth0) */
  device: string;
  mac: string | null;
  ips: string[];
}

/** A network node's tab: what carries it, and who is on it. */
export interface NetworkDetails {
  nodeId: string;
  interfaces: NetworkInterface[];
  attached: NetworkAttachment[];
}
