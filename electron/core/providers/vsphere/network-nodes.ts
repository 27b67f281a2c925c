// vSphere networks as network nodes (issue 16), placed as the vSphere Client's Networking
// view groups them: standard networks (a host's vSwitch port groups) and distributed
// switches under their datacenter, each distributed port group under its switch — its
// VLAN from the port group's default port setting. A switch's uplink port group carries
// the hosts' physical NICs, not VMs: it is left out, as the VM network lists leave it.

import { nodeId, type InventoryNode } from '../../../../shared/model';
import type { NetworkInfo } from '../../../../shared/networks';
import type { PropertyValues } from './property-collector';
import { child, readMoRef, readMoRefArray, readNumber, text } from './xml';

export const NETWORK_PATHS = ['name', 'parent', 'host'] as const;
export const PORTGROUP_PATHS = ['name', 'parent', 'host', 'key', 'config.distributedVirtualSwitch', 'config.defaultPortConfig'] as const;
export const SWITCH_PATHS = ['name', 'parent', 'uuid', 'config.uplinkPortgroup', 'config.maxMtu'] as const;

export const NETWORK_OBJECT_TYPES = new Set(['Network', 'DistributedVirtualPortgroup', 'VmwareDistributedVirtualSwitch', 'DistributedVirtualSwitch']);

const name = (props: PropertyValues, ref: string) => text(props.get('name'))?.trim() || ref;
const hostsOf = (serverId: string, props: PropertyValues) => readMoRefArray(props.get('host')).map((h) => nodeId(serverId, 'host', h.value)).sort();

function node(serverId: string, ref: string, props: PropertyValues, parentId: string | null, network: NetworkInfo): InventoryNode {
  return { id: nodeId(serverId, 'network', ref), serverId, kind: 'network', name: name(props, ref), parentId, nativeRef: ref, allowed: [], props: {}, network };
}

export function standardNetworkNode(serverId: string, ref: string, props: PropertyValues, datacenterId: string | null): InventoryNode {
  return node(serverId, ref, props, datacenterId, { type: 'standard', vlan: null, mtu: null, bridge: null, hostIds: hostsOf(serverId, props) });
}

export function switchNode(serverId: string, ref: string, props: PropertyValues, datacenterId: string | null): InventoryNode {
  const mtu = readNumber(props.get('config.maxMtu')) ?? null;
  return node(serverId, ref, props, datacenterId, { type: 'dvswitch', vlan: null, mtu: mtu && mtu > 0 ? mtu : null, bridge: null, hostIds: [] });
}

/** A distributed port group under its switch; null for the switch's uplink port group. */
export function portgroupNode(serverId: string, ref: string, props: PropertyValues, sw: { ref: string; props: PropertyValues } | undefined): InventoryNode | null {
  if (sw && readMoRefArray(sw.props.get('config.uplinkPortgroup')).some((u) => u.value === ref)) return null;
  // VMwareDVSPortSetting.vlan: a VmwareDistributedVirtualSwitchVlanIdSpec (0 = untagged); trunks and private VLANs have no single tag
  const vlanId = readNumber(child(child(props.get('config.defaultPortConfig'), 'vlan'), 'vlanId'));
  const switchRef = readMoRef(props.get('config.distributedVirtualSwitch'));
  return node(serverId, ref, props, switchRef ? nodeId(serverId, 'network', switchRef.value) : null, {
    type: 'dvportgroup',
    vlan: vlanId !== undefined && vlanId > 0 ? vlanId : null,
    mtu: null,
    bridge: sw ? name(sw.props, sw.ref) : null,
    hostIds: hostsOf(serverId, props),
  });
}
