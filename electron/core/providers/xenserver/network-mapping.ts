// XAPI networks as network nodes, shown and named as XenCenter does (XenModel's
// Network.Show / Network.Name / PIF.Show, read in its sources and restated here):
// hidden are the guest-installer (host-internal management) network, a network one
// of whose PIFs is hidden (HideFromXenCenter), a network that carries a bond's member
// NIC (the bond's own network stands for it) and one marked HideFromXenCenter.
// A network keeps its name_label unless it is still xapi's default ("Network
// associated with eth0", "Pool-wide network associated with eth0"): then it is named
// after the NIC, taking the master's PIF first — "Network 0", a bond "Bond 0+1".
// XenCenter lists networks in its Objects view, not its Infrastructure tree; here they
// sit under the pool, as every network of a pool is the pool's (a VLAN or bond has a
// PIF on each host).

import type { InventoryNode } from '../../../../shared/model';
import type { NetworkInfo, NetworkType } from '../../../../shared/networks';
import { bool, isRef, map, num, refs, str, type XapiCache, type XapiRecord } from './records';

const DEFAULT_NAME_PREFIXES = ['Network associated with ', 'Pool-wide network associated with '];

function pifsOf(cache: XapiCache, network: XapiRecord): XapiRecord[] {
  return refs(network.PIFs).flatMap((ref) => {
    const pif = cache.pif.get(ref);
    return pif ? [pif] : [];
  });
}

/** Whether XenCenter shows the network (with "show hidden objects" off, its default). */
export function networkShown(cache: XapiCache, network: XapiRecord): boolean {
  const other = map(network.other_config);
  if (bool(other.is_guest_installer_network)) return false;
  const pifs = pifsOf(cache, network);
  if (pifs.some((pif) => bool(map(pif.other_config).HideFromXenCenter))) return false;
  if (pifs.some((pif) => isRef(pif.bond_slave_of))) return false;
  return !bool(other.HideFromXenCenter);
}

/** A PIF's NIC as XenCenter numbers it: "0" for eth0, a bond's members joined "0+1". */
function nicIdentifier(cache: XapiCache, pif: XapiRecord): { id: string; bond: boolean } {
  const bondRefs = refs(pif.bond_master_of);
  if (bondRefs.length === 0) return { id: str(pif.device).replace('eth', ''), bond: false };
  const members: string[] = [];
  for (const other of cache.pif.values()) {
    if (bondRefs.includes(str(other.bond_slave_of))) members.push(str(other.device).replace('eth', ''));
  }
  return members.length ? { id: members.sort().join('+'), bond: true } : { id: str(pif.device), bond: true };
}

export function networkName(cache: XapiCache, network: XapiRecord, masterRef: string | undefined): string {
  const label = str(network.name_label);
  if (!DEFAULT_NAME_PREFIXES.some((p) => label.startsWith(p))) return label;
  const pifs = pifsOf(cache, network);
  const pif = pifs.find((p) => masterRef !== undefined && p.host === masterRef) ?? pifs[0];
  if (!pif) return label;
  const nic = nicIdentifier(cache, pif);
  return nic.bond ? `Bond ${nic.id}` : `Network ${nic.id}`;
}

function networkType(pifs: XapiRecord[]): NetworkType {
  if (pifs.length === 0) return 'internal';
  if (pifs.some((p) => (num(p.VLAN) ?? -1) >= 0)) return 'vlan';
  if (pifs.some((p) => refs(p.bond_master_of).length > 0)) return 'bond';
  return 'bridge';
}

export function networkInfo(cache: XapiCache, network: XapiRecord, id: (kind: 'host', ref: string) => string): NetworkInfo {
  const pifs = pifsOf(cache, network);
  const vlan = pifs.map((p) => num(p.VLAN) ?? -1).find((tag) => tag >= 0);
  const hostIds = [...new Set(pifs.map((p) => str(p.host)).filter((h) => cache.host.has(h)).map((h) => id('host', h)))].sort();
  const bridge = str(network.bridge);
  return {
    type: networkType(pifs),
    vlan: vlan ?? null,
    mtu: num(network.MTU),
    bridge: bridge || null,
    hostIds,
  };
}

/** The network's node, or null when XenCenter would not show it. */
export function networkNode(serverId: string, cache: XapiCache, ref: string, id: (kind: 'host' | 'pool' | 'network', ref: string) => string, poolRef: string | undefined): InventoryNode | null {
  const record = cache.network.get(ref);
  if (!record || !networkShown(cache, record)) return null;
  const master = poolRef ? str(cache.pool.get(poolRef)?.master) : undefined;
  return {
    id: id('network', ref),
    serverId,
    kind: 'network',
    name: networkName(cache, record, master),
    parentId: poolRef ? id('pool', poolRef) : null,
    nativeRef: ref,
    allowed: [],
    props: { uuid: str(record.uuid), description: str(record.name_description) },
    network: networkInfo(cache, record, id),
  };
}
