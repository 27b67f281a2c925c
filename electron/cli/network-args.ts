// argv of `polyvisor network list|show|create|delete …` and `polyvisor nic list|add|remove|set-network …`
// → one typed command (pure, like args.ts).

import { ALL_BOND_MODES, BOND_HASH_POLICIES, NETWORK_KINDS, SDN_ZONE_TYPES, type BondHashPolicy, type BondMode, type NetworkDraft, type NetworkKind, type SdnZoneType } from '../../shared/networks';
import { CONNECT_OPTIONS, connectOptions, parse, usage, type ConnectOptions } from './arg-helpers';

export type NetworkCommand =
  | ({ name: 'network list'; server?: string; json: boolean } & ConnectOptions)
  | ({ name: 'network show'; network: string; json: boolean } & ConnectOptions)
  | ({ name: 'network create'; server: string; kind: NetworkKind; networkName: string; vlan?: number; device?: string; parent?: string; driver?: string; subnet?: string; mtu?: number; members?: string[]; mode?: BondMode; fields: NodeAndZoneFields } & ConnectOptions)
  | ({ name: 'network delete'; network: string } & ConnectOptions)
  | ({ name: 'network subnet add'; network: string; cidr: string; gateway?: string; snat: boolean } & ConnectOptions)
  | ({ name: 'network subnet remove'; network: string; subnet: string } & ConnectOptions)
  | ({ name: 'nic list'; vm: string; json: boolean } & ConnectOptions)
  | ({ name: 'nic add'; vm: string; network: string } & ConnectOptions)
  | ({ name: 'nic remove'; vm: string; nic: string } & ConnectOptions)
  | ({ name: 'nic set-network'; vm: string; nic: string; network: string } & ConnectOptions);

/** What a bond or bridge on one node and an SDN zone take besides the common flags. */
export type NodeAndZoneFields = Pick<NetworkDraft, 'host' | 'ports' | 'primary' | 'hashPolicy' | 'vlanAware' | 'cidr' | 'gateway' | 'zoneType' | 'bridge' | 'peers'>;

export const NETWORK_USAGE = `Networks (XAPI networks and VLANs, Proxmox VE bridges and SDN vnets, vSphere networks, switches and port groups, Docker networks; <network> = id, uuid or name):
  network list [--server S] [--json]        every network with its type, VLAN, MTU, bridge or switch and where the tree puts it
  network show <network> [--json]           what carries it on each host and the VMs and containers on it
  network create --server S --name N --kind vlan|internal|dvportgroup|standard|sdn|container|bond [--vlan TAG] [--device NIC]
                 [--parent SWITCH|ZONE] [--driver D] [--subnet CIDR] [--mtu N]   as the platform takes it
                 (--type is --kind; a bond: --devices eth0,eth1 [--mode balance-slb|active-backup|lacp], on every host)
                 (Proxmox VE: a VLAN's --device is node/interface, e.g. node1/vmbr0; made and applied at once;
                  a bond: --host NODE --slaves eno2[,eno3…] [--bond-mode balance-rr|active-backup|balance-xor|broadcast|802.3ad|balance-tlb|balance-alb]
                          [--primary NIC] (active-backup) [--hash-policy layer2|layer2+3|layer3+4] (balance-xor, 802.3ad);
                  a bridge: --host NODE [--ports eno2,bond1] [--vlan-aware]; both [--cidr A/N] [--gateway IP];
                  a zone: --zone-type simple|vlan|qinq|vxlan [--bridge vmbr0] (vlan, qinq) [--vlan TAG] (qinq) [--peers IP,IP] (vxlan))
                 (vSphere: a standard port group: --parent HOST|CLUSTER --device vSwitch0 [--vlan TAG], on the host or on every host
                  of the cluster; a host refusing undoes the others)
  network delete <network>                  the server refuses while a VM or container is on it
  network subnet add <network> --subnet CIDR [--gateway IP] [--snat]   a subnet of an SDN vnet, applied at once
  network subnet remove <network> <subnet>  <subnet> = its id or CIDR, as network show lists them
  nic list <vm> [--json]                    a VM's or container's NICs: device, network, MAC, addresses, link
  nic add <vm> --network <network>          a new NIC on that network (plugged at once where the VM runs)
  nic remove <vm> <nic>                     <nic> = its id or device, as nic list shows them
  nic set-network <vm> <nic> --network <network>`;

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw usage(`${flag} must be a whole number from ${min} to ${max}`);
  return n;
}

const list = (value: string | undefined) => (value ?? '').split(',').map((d) => d.trim()).filter(Boolean);

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) throw usage(`network create: ${flag} is one of ${allowed.join(', ')}`);
  return value as T | undefined;
}

/** A bond's NICs and mode: on every host (no --host, XAPI) 2 to 4 NICs as XenCenter takes them; on one node (--host, a Linux bond) one or more. */
function bondOptions(devices: string | undefined, mode: string | undefined, onOneHost: boolean): { members: string[]; mode?: BondMode } {
  const members = list(devices);
  if (!onOneHost && (members.length < 2 || members.length > 4)) throw usage('network create: a bond on every host needs --devices with 2 to 4 NICs, e.g. eth0,eth1');
  if (!members.length) throw usage('network create: a bond needs --devices (or --slaves) with its NICs, e.g. eno2,eno3');
  const chosen = oneOf('--mode', mode, ALL_BOND_MODES);
  return { members, ...(chosen ? { mode: chosen } : {}) };
}

function nodeAndZoneFields(v: Record<string, string | boolean | undefined>): NodeAndZoneFields {
  const text = (k: string) => (typeof v[k] === 'string' && (v[k] as string).trim() ? (v[k] as string).trim() : undefined);
  const hashPolicy = oneOf<BondHashPolicy>('--hash-policy', text('hash-policy'), BOND_HASH_POLICIES);
  const zoneType = oneOf<SdnZoneType>('--zone-type', text('zone-type'), SDN_ZONE_TYPES);
  const fields: NodeAndZoneFields = {
    host: text('host'),
    ports: v.ports !== undefined ? list(text('ports')) : undefined,
    primary: text('primary'),
    hashPolicy,
    vlanAware: v['vlan-aware'] ? true : undefined,
    cidr: text('cidr'),
    gateway: text('gateway'),
    zoneType,
    bridge: text('bridge'),
    peers: v.peers !== undefined ? list(text('peers')) : undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, x]) => x !== undefined)) as NodeAndZoneFields;
}

export function parseNetwork(sub: string | undefined, args: string[]): NetworkCommand {
  switch (sub) {
    case 'list': {
      const { values } = parse(args, { ...CONNECT_OPTIONS, server: { type: 'string' }, json: { type: 'boolean' } }, 0);
      return { name: 'network list', ...(values.server ? { server: values.server } : {}), json: !!values.json, ...connectOptions(values) };
    }
    case 'show': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 1, '<network>');
      return { name: 'network show', network: positionals[0]!, json: !!values.json, ...connectOptions(values) };
    }
    case 'create': {
      const spec = { ...CONNECT_OPTIONS, server: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, vlan: { type: 'string' }, device: { type: 'string' }, parent: { type: 'string' }, driver: { type: 'string' }, subnet: { type: 'string' }, mtu: { type: 'string' }, type: { type: 'string' }, devices: { type: 'string' }, mode: { type: 'string' }, slaves: { type: 'string' }, 'bond-mode': { type: 'string' }, host: { type: 'string' }, ports: { type: 'string' }, primary: { type: 'string' }, 'hash-policy': { type: 'string' }, 'vlan-aware': { type: 'boolean' }, cidr: { type: 'string' }, gateway: { type: 'string' }, 'zone-type': { type: 'string' }, bridge: { type: 'string' }, peers: { type: 'string' } } as const;
      const { values } = parse(args, spec, 0);
      if (!values.server?.trim()) throw usage('network create: --server S is required');
      if (!values.name?.trim()) throw usage('network create: --name N is required');
      const kind = (values.kind ?? values.type) as NetworkKind | undefined;
      if (!kind || !NETWORK_KINDS.includes(kind)) throw usage(`network create: --kind is one of ${NETWORK_KINDS.join(', ')}`);
      const vlan = integer('--vlan', values.vlan, 0, 4094);
      if ((kind === 'vlan' || kind === 'dvportgroup') && vlan === undefined) throw usage(`network create: a ${kind} needs --vlan TAG (0-4094)`);
      const mtu = integer('--mtu', values.mtu, 68, 65535);
      const bond = kind === 'bond' ? bondOptions(values.devices ?? values.slaves, values.mode ?? values['bond-mode'], !!values.host) : {};
      if (kind === 'zone' && !values['zone-type']) throw usage(`network create: a zone needs --zone-type (${SDN_ZONE_TYPES.join(', ')})`);
      return {
        name: 'network create',
        server: values.server,
        kind,
        networkName: values.name.trim(),
        ...(vlan !== undefined ? { vlan } : {}),
        ...(values.device ? { device: values.device } : {}),
        ...(values.parent ? { parent: values.parent } : {}),
        ...(values.driver ? { driver: values.driver } : {}),
        ...(values.subnet ? { subnet: values.subnet } : {}),
        ...(mtu !== undefined ? { mtu } : {}),
        ...bond,
        fields: nodeAndZoneFields(values),
        ...connectOptions(values),
      };
    }
    case 'delete': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 1, '<network>');
      return { name: 'network delete', network: positionals[0]!, ...connectOptions(values) };
    }
    case 'subnet':
      return parseSubnet(args[0], args.slice(1));
    default:
      throw usage(sub ? `Unknown command "network ${sub}"` : 'network: expected list, show, create, delete or subnet');
  }
}

function parseSubnet(sub: string | undefined, args: string[]): NetworkCommand {
  if (sub === 'add') {
    const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, subnet: { type: 'string' }, gateway: { type: 'string' }, snat: { type: 'boolean' } }, 1, '<network>');
    if (!values.subnet?.trim()) throw usage('network subnet add: --subnet CIDR is required');
    return { name: 'network subnet add', network: positionals[0]!, cidr: values.subnet.trim(), ...(values.gateway ? { gateway: values.gateway } : {}), snat: !!values.snat, ...connectOptions(values) };
  }
  if (sub === 'remove') {
    const { values, positionals } = parse(args, CONNECT_OPTIONS, 2, '<network> <subnet>');
    return { name: 'network subnet remove', network: positionals[0]!, subnet: positionals[1]!, ...connectOptions(values) };
  }
  throw usage(sub ? `Unknown command "network subnet ${sub}"` : 'network subnet: expected add or remove');
}

export function parseNic(sub: string | undefined, args: string[]): NetworkCommand {
  switch (sub) {
    case 'list': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, json: { type: 'boolean' } }, 1, '<vm>');
      return { name: 'nic list', vm: positionals[0]!, json: !!values.json, ...connectOptions(values) };
    }
    case 'add': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, network: { type: 'string' } }, 1, '<vm>');
      if (!values.network?.trim()) throw usage('nic add: --network <network> is required');
      return { name: 'nic add', vm: positionals[0]!, network: values.network, ...connectOptions(values) };
    }
    case 'remove': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 2, '<vm> <nic>');
      return { name: 'nic remove', vm: positionals[0]!, nic: positionals[1]!, ...connectOptions(values) };
    }
    case 'set-network': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, network: { type: 'string' } }, 2, '<vm> <nic>');
      if (!values.network?.trim()) throw usage('nic set-network: --network <network> is required');
      return { name: 'nic set-network', vm: positionals[0]!, nic: positionals[1]!, network: values.network, ...connectOptions(values) };
    }
    default:
      throw usage(sub ? `Unknown command "nic ${sub}"` : 'nic: expected list, add, remove or set-network');
  }
}
