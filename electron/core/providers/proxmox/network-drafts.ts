// What Proxmox VE takes for a new bond, bridge or SDN zone (issue 16), from a network
// draft: the parameters of POST /nodes/{node}/network (Linux `bond` with `slaves`,
// `bond_mode`, `bond-primary`, `bond_xmit_hash_policy`; Linux `bridge` with
// `bridge_ports`, `bridge_vlan_aware`; `cidr`, `gateway`) and of POST /cluster/sdn/zones
// (simple, vlan with `bridge`, qinq with `bridge` and `tag`, vxlan with `peers`). EVPN
// needs an SDN controller Polyvisor does not make: it is offered greyed. And the
// choices the dialog shows: each node's free NICs and bonds, the zone types, the bridges
// every node has.

import { PolyvisorError } from '../../../../shared/errors';
import { LINUX_BOND_MODES, SDN_ZONE_TYPES, type NetworkCreateOptions, type NetworkDraft, type SdnZoneType } from '../../../../shared/networks';
import type { ClusterCache } from './cluster-cache';
import type { PveInterface } from './network-nodes';

type Params = Record<string, string | number>;

const invalid = (message: string, field: string) => new PolyvisorError({ code: 'INVALID_INPUT', message, field });

/** Zone types Polyvisor makes; the others need an SDN controller or fabric first. */
export const BUILT_ZONE_TYPES: ReadonlySet<SdnZoneType> = new Set(['simple', 'vlan', 'qinq', 'vxlan']);

const optional = (draft: NetworkDraft): Params => ({
  ...(draft.cidr ? { cidr: draft.cidr } : {}),
  ...(draft.gateway ? { gateway: draft.gateway } : {}),
  ...(draft.mtu ? { mtu: draft.mtu } : {}),
  ...(draft.description ? { comments: draft.description } : {}),
});

/** POST /nodes/{node}/network for a Linux bond: its name is the draft's (bond1). */
export function bondParams(draft: NetworkDraft): Params {
  const members = draft.members ?? [];
  if (!members.length) throw invalid('A bond needs at least one NIC.', 'members');
  const mode = draft.mode ?? 'balance-rr';
  if (!(LINUX_BOND_MODES as readonly string[]).includes(mode)) throw invalid(`A Linux bond's mode is one of ${LINUX_BOND_MODES.join(', ')}.`, 'mode');
  if (draft.primary && mode !== 'active-backup') throw invalid('A primary NIC is for an active-backup bond only.', 'primary');
  if (draft.hashPolicy && mode !== 'balance-xor' && mode !== '802.3ad') throw invalid('A hash policy is for a balance-xor or 802.3ad bond only.', 'hashPolicy');
  return {
    iface: draft.name,
    type: 'bond',
    slaves: members.join(' '),
    bond_mode: mode,
    ...(draft.primary ? { 'bond-primary': draft.primary } : {}),
    ...(draft.hashPolicy ? { bond_xmit_hash_policy: draft.hashPolicy } : {}),
    ...optional(draft),
  };
}

/** POST /nodes/{node}/network for a Linux bridge (vmbr2) with its ports, none for an isolated one. */
export function bridgeParams(draft: NetworkDraft): Params {
  return {
    iface: draft.name,
    type: 'bridge',
    ...(draft.ports?.length ? { bridge_ports: draft.ports.join(' ') } : {}),
    ...(draft.vlanAware ? { bridge_vlan_aware: 1 } : {}),
    ...optional(draft),
  };
}

/** POST /cluster/sdn/zones. */
export function zoneParams(draft: NetworkDraft): Params {
  const type = draft.zoneType;
  if (!type) throw invalid(`Choose the zone's type: ${SDN_ZONE_TYPES.join(', ')}.`, 'zoneType');
  if (!BUILT_ZONE_TYPES.has(type)) throw new PolyvisorError({ code: 'UNSUPPORTED', field: 'zoneType', message: `An ${type} zone needs an SDN controller; make it in the Proxmox VE UI.` });
  if ((type === 'vlan' || type === 'qinq') && !draft.bridge) throw invalid(`A ${type} zone rides a bridge: choose one.`, 'bridge');
  if (type === 'qinq' && draft.vlan === undefined) throw invalid('A QinQ zone needs its service VLAN tag.', 'vlan');
  if (type === 'vxlan' && !draft.peers?.length) throw invalid('A VXLAN zone needs the addresses of its peers (every node).', 'peers');
  return {
    zone: draft.name,
    type,
    ...(type === 'vlan' || type === 'qinq' ? { bridge: draft.bridge! } : {}),
    ...(type === 'qinq' ? { tag: draft.vlan! } : {}),
    ...(type === 'vxlan' ? { peers: draft.peers!.join(',') } : {}),
    ...(draft.mtu ? { mtu: draft.mtu } : {}),
    ipam: 'pve',
  };
}

/** The NICs and bonds of a node that no bond or bridge uses yet. */
function freePorts(all: PveInterface[], types: string[]): PveInterface[] {
  const used = new Set(all.flatMap((i) => i.ports));
  return all.filter((i) => types.includes(i.type) && !used.has(i.iface));
}

/** The dialog's choices for a bond, a bridge and a zone. */
export function nodeNetworkOptions(cache: ClusterCache): Pick<NetworkCreateOptions, 'hosts' | 'bondDevices' | 'portDevices' | 'bondModes' | 'zoneTypes' | 'zoneBridges'> {
  const nodes = cache
    .hostFacts()
    .filter((h) => h.online)
    .map((h) => h.name)
    .sort();
  const choices = (types: string[]) => nodes.flatMap((node) => freePorts(cache.nodeNetwork(node), types).map((i) => ({ value: i.iface, label: i.iface, host: node })));
  const bridgesOf = nodes.map((node) => new Set(cache.nodeNetwork(node).filter((i) => i.type === 'bridge' || i.type === 'OVSBridge').map((i) => i.iface)));
  const zoneBridges = [...(bridgesOf[0] ?? [])].filter((b) => bridgesOf.every((set) => set.has(b))).sort();
  return {
    hosts: nodes.map((n) => ({ value: n, label: n })),
    bondDevices: choices(['eth']),
    portDevices: choices(['eth', 'bond', 'vlan']),
    bondModes: [...LINUX_BOND_MODES],
    zoneTypes: SDN_ZONE_TYPES.map((type) => ({ type, built: BUILT_ZONE_TYPES.has(type) })),
    zoneBridges,
  };
}
