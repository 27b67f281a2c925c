// The fleet's shape at a given scale: how many servers of each type, how many guests each,
// and which simulator process serves which pool. Pure, so a unit test checks the sums.

export interface XapiPoolSpec {
  kind: 'xapi';
  name: string;
  hosts: number;
  vms: number;
  snapshots: number;
}

export interface ProxmoxClusterSpec {
  kind: 'proxmox';
  name: string;
  nodes: number;
  vms: number;
  cts: number;
}

/** What one simulator process serves: several pools or clusters, each on a port of its own. */
export type SimulatedSpec = XapiPoolSpec | ProxmoxClusterSpec;

export interface VcsimSpec {
  name: string;
  /** vcsim -vm: VMs per resource pool and per standalone host */
  vmsPerPool: number;
}

export interface FleetPlan {
  scale: number;
  /** simulated XAPI pools and Proxmox clusters, grouped per child process */
  groups: SimulatedSpec[][];
  vcsims: VcsimSpec[];
  /** containers on the one real dockerd */
  containers: number;
  /** guests the plan asks for (vcsim's real count may differ slightly: it is read back) */
  guests: number;
  servers: number;
}

/** At scale 1: the fleet of 100 servers and 50,000 guests. */
export const FULL_FLEET = {
  xapiPools: 64,
  largeXapiPools: 4,
  largePool: { hosts: 64, vms: 2_000 },
  proxmoxClusters: 25,
  proxmoxCluster: { nodes: 4, guests: 200 },
  vcsims: 10,
  /** vcsim's vpx model: one cluster resource pool and one standalone host per instance, so about 2 × this */
  vcsimVmsPerPool: 50,
  containers: 300,
  guests: 50_000,
  /** simulated pools served by one child process (100 processes do not fit 2 cores) */
  poolsPerProcess: 12,
} as const;

/** Guests a vcsim instance of the vpx model creates with `-vm n` (its cluster pool and its standalone host). */
export const vcsimGuests = (vmsPerPool: number) => 2 * vmsPerPool;

const atLeastOne = (n: number) => Math.max(1, Math.round(n));

export function fleetPlan(scale: number, full = FULL_FLEET): FleetPlan {
  if (!(scale > 0 && scale <= 1)) throw new Error(`scale must be in (0, 1], not ${scale}`);
  const xapiCount = atLeastOne(full.xapiPools * scale);
  const largeCount = Math.min(xapiCount - 1, Math.round(full.largeXapiPools * scale));
  const proxmoxCount = atLeastOne(full.proxmoxClusters * scale);
  const vcsimCount = atLeastOne(full.vcsims * scale);
  const containers = atLeastOne(full.containers * scale);
  const guests = Math.round(full.guests * scale);
  const largeVms = Math.max(1, Math.round(full.largePool.vms * Math.sqrt(scale)));
  const proxmoxGuests = atLeastOne(full.proxmoxCluster.guests * Math.sqrt(scale));
  const vcsimVmsPerPool = atLeastOne(full.vcsimVmsPerPool * Math.sqrt(scale));

  const fixed = largeCount * largeVms + proxmoxCount * proxmoxGuests + vcsimCount * vcsimGuests(vcsimVmsPerPool) + containers;
  const smallCount = xapiCount - largeCount;
  const rest = Math.max(smallCount, guests - fixed);
  const pools: SimulatedSpec[] = [];
  for (let i = 0; i < xapiCount; i++) {
    const large = i < largeCount;
    const j = i - largeCount;
    // the rest spread evenly; the first pools take the remainder
    const vms = large ? largeVms : Math.floor(rest / smallCount) + (j < rest % smallCount ? 1 : 0);
    const hosts = large ? Math.max(2, Math.round(full.largePool.hosts * Math.sqrt(scale))) : Math.max(1, Math.min(16, Math.round(vms / 100)));
    pools.push({ kind: 'xapi', name: `${large ? 'Large pool' : 'Pool'} ${String(i + 1).padStart(2, '0')}`, hosts, vms, snapshots: Math.round(vms / 10) });
  }
  for (let i = 0; i < proxmoxCount; i++) {
    const cts = Math.round(proxmoxGuests / 4);
    pools.push({ kind: 'proxmox', name: `PVE cluster ${String(i + 1).padStart(2, '0')}`, nodes: full.proxmoxCluster.nodes, vms: proxmoxGuests - cts, cts });
  }
  const groups: SimulatedSpec[][] = [];
  for (let i = 0; i < pools.length; i += full.poolsPerProcess) groups.push(pools.slice(i, i + full.poolsPerProcess));
  const vcsims = Array.from({ length: vcsimCount }, (_, i) => ({ name: `vCenter ${String(i + 1).padStart(2, '0')}`, vmsPerPool: vcsimVmsPerPool }));
  const planned = pools.reduce((n, p) => n + (p.kind === 'xapi' ? p.vms : p.vms + p.cts), 0) + vcsimCount * vcsimGuests(vcsimVmsPerPool) + containers;
  return { scale, groups, vcsims, containers, guests: planned, servers: pools.length + vcsimCount + 1 };
}
