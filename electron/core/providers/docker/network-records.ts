// The engine's networks as the tree shows them (issue 16): `GET /networks`, each a network
// node under the engine with its driver, MTU and bridge (the driver's options), its IPAM
// subnets, and whether it is one of the engine's own (bridge, host, none — never removed).

import type Dockerode from 'dockerode';
import { nodeId, type InventoryNode } from '../../../../shared/model';
import type { NetworkInfo } from '../../../../shared/networks';
import { dockerError } from './errors';

export interface NetworkRecord {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  Options: Record<string, string>;
  Labels: Record<string, string>;
  Subnets: string[];
}

/** The networks every engine makes for itself: the engine refuses to remove them. */
export const PREDEFINED_NETWORKS = new Set(['bridge', 'host', 'none']);

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function strings(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
}

/** One entry of `GET /networks`; null for one without an id or name. */
export function readNetwork(raw: unknown): NetworkRecord | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const id = text(r.Id);
  const name = text(r.Name);
  if (!id || !name) return null;
  const ipam = r.IPAM && typeof r.IPAM === 'object' ? (r.IPAM as Record<string, unknown>) : {};
  const config = Array.isArray(ipam.Config) ? ipam.Config : [];
  const subnets = config.map((c) => (c && typeof c === 'object' ? text((c as Record<string, unknown>).Subnet) : '')).filter(Boolean);
  return { Id: id, Name: name, Driver: text(r.Driver), Scope: text(r.Scope), Internal: r.Internal === true, Options: strings(r.Options), Labels: strings(r.Labels), Subnets: subnets };
}

export async function loadNetworks(docker: Dockerode, where: string): Promise<Map<string, NetworkRecord>> {
  let answer: unknown;
  try {
    answer = await docker.listNetworks();
  } catch (err) {
    throw dockerError(err, 'Listing networks', where);
  }
  const list = Array.isArray(answer) ? answer : [];
  const out = new Map<string, NetworkRecord>();
  for (const raw of list) {
    const n = readNetwork(raw);
    if (n) out.set(n.Id, n);
  }
  return out;
}

export function networkInfo(n: NetworkRecord, engineId: string): NetworkInfo {
  const mtu = Number(n.Options['com.docker.network.driver.mtu']);
  return {
    type: 'container',
    driver: n.Driver,
    vlan: null,
    mtu: Number.isInteger(mtu) && mtu > 0 ? mtu : null,
    bridge: n.Options['com.docker.network.bridge.name'] ?? (n.Options.parent || null),
    hostIds: [engineId],
    ...(n.Subnets.length ? { subnets: n.Subnets } : {}),
  };
}

export function networkNode(serverId: string, engineId: string, n: NetworkRecord): InventoryNode {
  return {
    id: nodeId(serverId, 'network', n.Id),
    serverId,
    kind: 'network',
    name: n.Name,
    parentId: engineId,
    nativeRef: n.Id,
    allowed: [],
    props: { id: n.Id, scope: n.Scope, internal: n.Internal },
    network: networkInfo(n, engineId),
  };
}
