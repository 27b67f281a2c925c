// Proxmox VE networks as network nodes (issue 16): a node's bridges, bonds and VLANs
// (GET /nodes/{node}/network) under that node, the cluster's SDN zones and vnets (GET
// /cluster/sdn/{zones,vnets}?pending=1) under the cluster. Native refs: `node/iface` for a
// node's interface, `vnet:name` for a vnet, `zone:name` for a zone (":" is in no node or interface name).
// A node's physical NICs are no network of their own: they show in a bridge's or
// bond's tab. What is not applied yet (the node's pending file, SDN before "Apply")
// is marked pending.

import type { InventoryNode } from '../../../../shared/model';
import { nodeId } from '../../../../shared/model';
import type { NetworkInfo, NetworkType } from '../../../../shared/networks';
import { num, requireObjects, str } from './answers';
import { clusterId, hostId } from './model-map';

export interface PveInterface {
  iface: string;
  /** PVE's word: bridge, bond, eth, vlan, OVSBridge, … */
  type: string;
  /** running now (a new interface in the pending file is not) */
  active: boolean;
  ports: string[];
  bondMode?: string;
  cidr?: string;
  mtu?: number;
  vlanId?: number;
  rawDevice?: string;
  comments?: string;
}

export interface PveVnet {
  vnet: string;
  zone: string;
  tag?: number;
  alias?: string;
  /** new, changed or deleted since the last "Apply" */
  state?: 'new' | 'changed' | 'deleted';
}

export interface PveZone {
  zone: string;
  type: string;
  bridge?: string;
  nodes?: string[];
  /** a QinQ zone's service VLAN */
  tag?: number;
  mtu?: number;
  peers?: string[];
  state?: 'new' | 'changed' | 'deleted';
}

const words = (v: unknown) => (str(v) ?? '').split(/[\s,;]+/).filter(Boolean);
const VLAN_NAME = /^(\S+)\.(\d+)$/;

export function readInterfaces(data: unknown, where: string): PveInterface[] {
  return requireObjects(data, where).flatMap((e) => {
    const iface = str(e.iface);
    const type = str(e.type);
    if (!iface || !type) return [];
    const named = VLAN_NAME.exec(iface);
    const vlanId = num(e['vlan-id']) ?? num(e.ovs_tag) ?? (type === 'vlan' && named ? Number(named[2]) : undefined);
    const rawDevice = str(e['vlan-raw-device']) ?? (type === 'vlan' && named ? named[1] : undefined);
    const mtu = num(e.mtu) ?? (typeof e.mtu === 'string' && /^\d+$/.test(e.mtu) ? Number(e.mtu) : undefined);
    return [
      {
        iface,
        type,
        active: e.active === 1 || e.active === '1' || e.active === true,
        ports: [...words(e.bridge_ports), ...words(e.slaves), ...words(e.ovs_ports), ...words(e.ovs_bonds)],
        ...(str(e.bond_mode) ? { bondMode: str(e.bond_mode) } : {}),
        ...(str(e.cidr) ? { cidr: str(e.cidr) } : {}),
        ...(mtu !== undefined ? { mtu } : {}),
        ...(vlanId !== undefined ? { vlanId } : {}),
        ...(rawDevice ? { rawDevice } : {}),
        ...(str(e.comments) ? { comments: str(e.comments)!.trim() } : {}),
      },
    ];
  });
}

/** GET /cluster/sdn/vnets?pending=1: a new vnet's values are under `pending`, a changed one's new values too. */
export function readVnets(data: unknown, where: string): PveVnet[] {
  return requireObjects(data, where).flatMap((e) => {
    const vnet = str(e.vnet);
    const pending = e.pending && typeof e.pending === 'object' ? (e.pending as Record<string, unknown>) : {};
    const zone = str(pending.zone) ?? str(e.zone);
    if (!vnet || !zone) return [];
    const tag = num(pending.tag) ?? num(e.tag);
    const alias = str(pending.alias) ?? str(e.alias);
    const state = str(e.state);
    return [{ vnet, zone, ...(tag !== undefined ? { tag } : {}), ...(alias ? { alias } : {}), ...(state === 'new' || state === 'changed' || state === 'deleted' ? { state } : {}) }];
  });
}

/** GET /cluster/sdn/zones?pending=1: as vnets, a new or changed zone's values under `pending`. */
export function readZones(data: unknown, where: string): PveZone[] {
  return requireObjects(data, where).flatMap((e) => {
    const zone = str(e.zone);
    if (!zone) return [];
    const pending = e.pending && typeof e.pending === 'object' ? (e.pending as Record<string, unknown>) : {};
    const pick = (k: string) => pending[k] ?? e[k];
    const nodes = words(pick('nodes'));
    const peers = words(pick('peers'));
    const tag = num(pick('tag'));
    const mtu = num(pick('mtu'));
    const state = str(e.state);
    return [
      {
        zone,
        type: str(e.type) ?? '',
        ...(str(pick('bridge')) ? { bridge: str(pick('bridge')) } : {}),
        ...(nodes.length ? { nodes } : {}),
        ...(peers.length ? { peers } : {}),
        ...(tag !== undefined ? { tag } : {}),
        ...(mtu !== undefined ? { mtu } : {}),
        ...(state === 'new' || state === 'changed' || state === 'deleted' ? { state } : {}),
      },
    ];
  });
}

export const ifaceRef = (node: string, iface: string) => `${node}/${iface}`;
export const vnetRef = (vnet: string) => `vnet:${vnet}`;
export const zoneRef = (zone: string) => `zone:${zone}`;

export function parseNetworkRef(ref: string): { node: string; iface: string } | { vnet: string } | { zone: string } | null {
  if (ref.startsWith('vnet:')) return { vnet: ref.slice(5) };
  if (ref.startsWith('zone:')) return { zone: ref.slice(5) };
  const slash = ref.indexOf('/');
  return slash > 0 ? { node: ref.slice(0, slash), iface: ref.slice(slash + 1) } : null;
}

/** The interfaces that are networks in the tree, with their type there. */
const TREE_TYPES: Record<string, NetworkType> = { bridge: 'bridge', OVSBridge: 'bridge', bond: 'bond', OVSBond: 'bond', vlan: 'vlan', OVSIntPort: 'vlan' };

/** A guest NIC's `bridge=`: a node bridge (Linux or OVS) or an SDN vnet. */
export const isGuestBridge = (i: PveInterface) => i.type === 'bridge' || i.type === 'OVSBridge';

function interfaceNode(serverId: string, node: string, i: PveInterface): InventoryNode {
  const type = TREE_TYPES[i.type]!;
  const network: NetworkInfo = {
    type,
    driver: i.bondMode ? `${i.type} ${i.bondMode}` : i.type,
    vlan: i.vlanId !== undefined && i.vlanId <= 4094 ? i.vlanId : null,
    mtu: i.mtu ?? null,
    bridge: type === 'vlan' ? (i.rawDevice ?? null) : i.iface,
    hostIds: [hostId(serverId, node)],
    ...(i.cidr ? { subnets: [i.cidr] } : {}),
    ...(isGuestBridge(i) ? {} : { forGuests: false }),
  };
  return {
    id: nodeId(serverId, 'network', ifaceRef(node, i.iface)),
    serverId,
    kind: 'network',
    name: i.iface,
    parentId: hostId(serverId, node),
    nativeRef: ifaceRef(node, i.iface),
    allowed: [],
    props: {
      ...(i.ports.length ? { ports: i.ports.join(' ') } : {}),
      ...(i.comments ? { description: i.comments } : {}),
      // not running yet: made in the node's pending network file, applied with "Apply Configuration"
      ...(!i.active ? { pending: 'new' } : {}),
    },
    network,
  };
}

function vnetNode(serverId: string, v: PveVnet, zones: Map<string, PveZone>, allHosts: string[]): InventoryNode {
  const zone = zones.get(v.zone);
  const tagged = zone?.type === 'vlan' || zone?.type === 'qinq';
  const hosts = zone?.nodes ?? allHosts;
  return {
    id: nodeId(serverId, 'network', vnetRef(v.vnet)),
    serverId,
    kind: 'network',
    name: v.alias ? `${v.vnet} (${v.alias})` : v.vnet,
    parentId: clusterId(serverId),
    nativeRef: vnetRef(v.vnet),
    allowed: [],
    props: { zone: v.zone, ...(v.state ? { pending: v.state } : {}) },
    network: {
      type: 'sdn',
      driver: zone?.type ? `${zone.type} zone ${v.zone}` : `zone ${v.zone}`,
      vlan: tagged && v.tag !== undefined && v.tag <= 4094 ? v.tag : null,
      mtu: null,
      bridge: zone?.bridge ?? null,
      hostIds: hosts.map((h) => hostId(serverId, h)).sort(),
    },
  };
}

function zoneNode(serverId: string, z: PveZone, allHosts: string[]): InventoryNode {
  return {
    id: nodeId(serverId, 'network', zoneRef(z.zone)),
    serverId,
    kind: 'network',
    name: z.zone,
    parentId: clusterId(serverId),
    nativeRef: zoneRef(z.zone),
    allowed: [],
    props: { zoneType: z.type, ...(z.peers ? { peers: z.peers.join(' ') } : {}), ...(z.state ? { pending: z.state } : {}) },
    network: {
      type: 'sdnzone',
      driver: z.type,
      vlan: z.type === 'qinq' && z.tag !== undefined && z.tag <= 4094 ? z.tag : null,
      mtu: z.mtu ?? null,
      bridge: z.bridge ?? null,
      hostIds: (z.nodes ?? allHosts).map((h) => hostId(serverId, h)).sort(),
      forGuests: false,
    },
  };
}

export function networkNodes(serverId: string, byNode: Map<string, PveInterface[]>, vnets: PveVnet[], zones: PveZone[], allHosts: string[]): InventoryNode[] {
  const out: InventoryNode[] = [];
  for (const [node, interfaces] of byNode) {
    for (const i of interfaces) if (TREE_TYPES[i.type]) out.push(interfaceNode(serverId, node, i));
  }
  const zoneMap = new Map(zones.map((z) => [z.zone, z]));
  for (const v of vnets) out.push(vnetNode(serverId, v, zoneMap, allHosts));
  for (const z of zones) out.push(zoneNode(serverId, z, allHosts));
  return out;
}
