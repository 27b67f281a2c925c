// Networks (issue 16): XAPI networks (with their PIFs, bonds and VLANs), Proxmox VE
// bridges, VLANs and SDN vnets, vSphere standard networks, distributed switches and
// their port groups, and Docker networks, in one shape. A network node carries it
// in `network`; its tab asks the provider for what is attached (`networks:details`).

import type { LocalizedText } from './descriptor';

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
  /** a Proxmox SDN zone: its vnets name it, no guest goes on it (its type in `driver`) */
  | 'sdnzone'
  /** a vSphere standard network (a port group of a host's standard vSwitch) */
  | 'standard'
  /** a vSphere distributed switch: its port groups are its children */
  | 'dvswitch'
  /** a port group of a distributed switch */
  | 'dvportgroup'
  /** a container engine's network (Docker: its driver in `driver`) */
  | 'container';

export const NETWORK_TYPES: readonly NetworkType[] = ['bridge', 'vlan', 'bond', 'internal', 'sdn', 'sdnzone', 'standard', 'dvswitch', 'dvportgroup', 'container'];

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
  /** false where a guest's NIC cannot go on it (a Proxmox bond or VLAN interface: guests use a bridge or vnet) */
  forGuests?: boolean;
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
  /** a bond's mode and its members' devices, where it is a bond */
  bond?: { mode: string; members: string[] };
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

/** An address range of a software-defined network (Proxmox SDN subnet). */
export interface SdnSubnet {
  /** the server's id of it (Proxmox: `<zone>-<cidr with / as ->`) */
  id: string;
  cidr: string;
  gateway: string | null;
  /** source NAT for traffic leaving it */
  snat: boolean;
}

/** A new subnet of a software-defined network. */
export interface SubnetDraft {
  cidr: string;
  gateway?: string;
  snat?: boolean;
}

/** A network node's tab: what carries it, and who is on it. */
export interface NetworkDetails {
  nodeId: string;
  interfaces: NetworkInterface[];
  attached: NetworkAttachment[];
  /** its subnets, where it has them to add and remove (a Proxmox SDN vnet) */
  subnets?: SdnSubnet[];
}

/** One NIC of a guest: a VM's Networking tab row. */
export interface NicInfo {
  /** the provider's own id of the NIC: XAPI VIF ref, Proxmox net0, vSphere device key, Docker network name */
  id: string;
  /** as the platform numbers it: 0, net0, "Network adapter 1", the network's name */
  device: string;
  /** inventory id of its network node, null where the network is not in the tree */
  networkId: string | null;
  networkName: string;
  mac: string | null;
  /** addresses the guest tools, agent or engine report */
  ips: string[];
  /** plugged in now (XAPI currently_attached, vSphere connectable.connected, Proxmox link up); null where unknown */
  connected: boolean | null;
  /** the virtual device model, where the platform has one (virtio, e1000, vmxnet3) */
  model?: string;
}

export interface NicList {
  nodeId: string;
  nics: NicInfo[];
}

/** What a new network is. */
export type NetworkKind =
  /** a tagged network on an interface of every host (XAPI pool VLAN) */
  | 'vlan'
  /** a network with no NIC (XAPI single-server private network) */
  | 'internal'
  /** a port group on a distributed switch (`parent` = the switch's node id) */
  | 'dvportgroup'
  /** a port group on a standard vSwitch (`device`) of one host or every host of a cluster (`parent`): vSphere AddPortGroup */
  | 'standard'
  /** a Proxmox SDN vnet in a zone (`parent` = the zone), applied at once */
  | 'sdn'
  /** a container engine's network with a driver (Docker) */
  | 'container'
  /** a bond of NICs on every host (XAPI Bond.create per host), or on one node (`host`: Proxmox Linux bond) */
  | 'bond'
  /** a Linux bridge on one node (`host`) with its `ports` (Proxmox) */
  | 'bridge'
  /** a Proxmox SDN zone of `zoneType`: vnets go in it */
  | 'zone';

export const NETWORK_KINDS: readonly NetworkKind[] = ['vlan', 'internal', 'dvportgroup', 'sdn', 'container', 'bond', 'bridge', 'zone', 'standard'];

/** How a bond spreads traffic over its members (XAPI bond_mode). */
export const BOND_MODES = ['balance-slb', 'active-backup', 'lacp'] as const;
/** A Linux bond's modes (Proxmox VE `bond_mode`, the kernel's bonding driver). */
export const LINUX_BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'] as const;
export type BondMode = (typeof BOND_MODES)[number] | (typeof LINUX_BOND_MODES)[number];
export const ALL_BOND_MODES: readonly BondMode[] = [...new Set<BondMode>([...BOND_MODES, ...LINUX_BOND_MODES])];
/** How a balance-xor or 802.3ad bond picks a member (`bond_xmit_hash_policy`). */
export const BOND_HASH_POLICIES = ['layer2', 'layer2+3', 'layer3+4'] as const;
export type BondHashPolicy = (typeof BOND_HASH_POLICIES)[number];
/** Proxmox VE SDN zone types Polyvisor knows (pve-api-schema: POST /cluster/sdn/zones `type`). */
export const SDN_ZONE_TYPES = ['simple', 'vlan', 'qinq', 'vxlan', 'evpn'] as const;
export type SdnZoneType = (typeof SDN_ZONE_TYPES)[number];

/** The tasks of this area (their names in the tasks panel). */
export const NETWORK_TASK_ACTIONS = ['network_create', 'network_delete', 'nic_add', 'nic_remove', 'nic_move', 'subnet_add', 'subnet_remove'] as const;

export interface NetworkDraft {
  kind: NetworkKind;
  name: string;
  description?: string;
  /** the 802.1Q tag (vlan, dvportgroup, sdn in a VLAN zone) */
  vlan?: number;
  /** the interface a VLAN goes on, as the platform names it (XAPI eth0, bond0) */
  device?: string;
  /** the switch or zone it belongs to (a createOptions parent's value) */
  parent?: string;
  /** the Docker driver (bridge, macvlan, …) */
  driver?: string;
  /** an address range (Docker IPAM, Proxmox subnet), CIDR */
  subnet?: string;
  mtu?: number;
  /** the NICs a bond joins, by device name on every host (eth0, eth1) or on `host` */
  members?: string[];
  mode?: BondMode;
  /** the node a bond or bridge is made on (a createOptions host's value) */
  host?: string;
  /** a bridge's ports (NICs, bonds or VLANs of `host`) */
  ports?: string[];
  /** an active-backup bond's preferred member */
  primary?: string;
  /** a balance-xor or 802.3ad bond's transmit hash policy */
  hashPolicy?: BondHashPolicy;
  /** a bridge that passes tagged frames (bridge_vlan_aware) */
  vlanAware?: boolean;
  /** the node's own address on a bond or bridge (CIDR) and its default gateway */
  cidr?: string;
  gateway?: string;
  /** an SDN zone's type, its bridge (vlan, qinq) and its VXLAN peers' addresses */
  zoneType?: SdnZoneType;
  bridge?: string;
  peers?: string[];
}

export interface NetworkChoice {
  value: string;
  label: string;
  /** the host it is on, where choices differ per host (a Proxmox node's NICs) */
  host?: string;
}

/** What a server offers for a new network (the dialog's choices). */
export interface NetworkCreateOptions {
  kinds: NetworkKind[];
  /** interfaces a VLAN may tag (XAPI: each device with the hosts that have it) */
  devices: NetworkChoice[];
  /** switches or zones a port group or vnet goes in */
  parents: NetworkChoice[];
  /** Docker drivers */
  drivers: string[];
  /** NICs a bond may join (physical, unbonded, untagged), where the platform bonds */
  bondDevices?: NetworkChoice[];
  /** where a standard port group goes (vSphere): a host, or a cluster for every host of it */
  standardPlaces?: NetworkChoice[];
  /** the standard vSwitches the hosts have (vSwitch0) */
  vswitches?: string[];
  /** the modes a bond takes here (absent: XAPI's BOND_MODES) */
  bondModes?: BondMode[];
  /** hosts a bond or bridge is made on, one at a time (Proxmox nodes) */
  hosts?: NetworkChoice[];
  /** interfaces a bridge may take as ports (value: device, host: its node) */
  portDevices?: NetworkChoice[];
  /** the SDN zone types, each built by Polyvisor or not (then made in the platform's UI) */
  zoneTypes?: Array<{ type: SdnZoneType; built: boolean }>;
  /** bridges an SDN zone may ride (names every node has) */
  zoneBridges?: string[];
}

/** What a platform does with networks (descriptor facet `networks`); absent = it shows none. */
export interface NetworksFacet {
  /** network nodes appear in the tree */
  tree: boolean;
  /** the kinds of network Polyvisor makes here ([] = none) */
  create: NetworkKind[];
  /** why not, where create is [] (or what it leaves to the platform) */
  createNote?: LocalizedText;
  /** a network can be deleted (network.destroy, SDN vnet, Destroy_Task, network rm) */
  delete: boolean;
  deleteNote?: LocalizedText;
  /** an SDN network's subnets are added and removed on its tab */
  subnets?: boolean;
  /** a guest's NICs: add one, remove one, move one to another network */
  nics: { add: boolean; remove: boolean; move: boolean; note?: LocalizedText };
}
