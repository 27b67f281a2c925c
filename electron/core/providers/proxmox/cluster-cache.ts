// What the provider knows of one PVE cluster between polls: the nodes, each
// guest's /cluster/resources entry and snapshot list, and which guests changed
// since the inventory was last published. It turns that into inventory nodes by
// owner (NodeDiffer): 'infra' owns the pool and host nodes, each guest ref owns
// its node and its snapshot nodes.

import type { HostAction, InventoryNode } from '../../../../shared/model';
import type { NodesByOwner } from '../common/node-differ';
import type { ClusterStatusEntry } from './answers';
import { storageNodes } from './storage-nodes';
import { networkNodes, type PveInterface, type PveVnet, type PveZone } from './network-nodes';
import {
  clusterNode,
  currentSnapshotOf,
  guestNode,
  guestRef,
  hostNode,
  isGuest,
  lifecycleAllowed,
  snapshotNodes,
  type ClusterInfo,
  type PveResource,
  type PveSnapshotEntry,
} from './model-map';

export type GuestResource = PveResource & { type: 'qemu' | 'lxc'; vmid: number | string; node: string };

export const INFRA_OWNER = 'infra';

// Usage counters move on every poll: they are no reason to re-read a snapshot list.
const USAGE_FIELDS = new Set(['uptime', 'cpu', 'mem', 'netin', 'netout', 'diskread', 'diskwrite', 'disk', 'memhost']);

export class ClusterCache {
  private cluster: ClusterInfo;
  private version: string | undefined;
  private readonly nodeIps = new Map<string, string>();
  private hosts: PveResource[] = [];
  private storages: PveResource[] = [];
  /** by guest ref (qemu/100) */
  private readonly guests = new Map<string, GuestResource>();
  private readonly guestSignatures = new Map<string, string>();
  private readonly snapshots = new Map<string, PveSnapshotEntry[]>();
  private readonly snapshotSignatures = new Map<string, string>();
  private readonly bootTimes = new Map<string, number>();
  /** guests to rebuild and compare at the next publication */
  private readonly dirty = new Set<string>();
  private sweepCursor = 0;
  /** nodes whose HA LRM is in "maintenance mode" (ha-manager crm-command node-maintenance) */
  private haMaintenance = new Set<string>();
  /** nodes Polyvisor marked in their notes after moving every guest away */
  private readonly marked = new Set<string>();
  /** nodes with a wake-on-LAN MAC in their config (read while they were online) */
  private readonly wakeable = new Set<string>();
  private onlineSignature = '';
  /** each node's interfaces as last read (network-watch.ts), and the cluster's SDN */
  private readonly networks = new Map<string, PveInterface[]>();
  private sdn: { vnets: PveVnet[]; zones: PveZone[] } = { vnets: [], zones: [] };

  constructor(
    private readonly serverId: string,
    private readonly host: string,
  ) {
    this.cluster = { name: host, standalone: true };
  }

  guest(ref: string): GuestResource | undefined {
    return this.guests.get(ref);
  }

  /** The `storage` entries of the last /cluster/resources answer (one per node that has the storage). */
  storageEntries(): PveResource[] {
    return this.storages;
  }

  guestRefs(): string[] {
    return [...this.guests.keys()];
  }

  /** The cluster's nodes as the last poll saw them, with their maintenance state. */
  hostFacts(): HostFacts[] {
    return this.hosts.map((h) => {
      const name = h.node ?? h.id.replace(/^node\//, '');
      return {
        name,
        online: h.status === 'online',
        ha: this.haMaintenance.has(name),
        marked: this.marked.has(name),
        wakeOnLan: this.wakeable.has(name),
        maxmem: h.maxmem ?? 0,
        mem: h.mem ?? 0,
      };
    });
  }

  /** A node's entry of the last /cluster/resources answer (its cpu, mem, maxmem). */
  hostEntry(name: string): PveResource | undefined {
    return this.hosts.find((h) => (h.node ?? h.id.replace(/^node\//, '')) === name);
  }

  guestsOn(node: string): GuestResource[] {
    return [...this.guests.values()].filter((g) => g.node === node);
  }

  setHaMaintenance(nodes: Set<string>): void {
    this.haMaintenance = nodes;
  }

  setMarked(node: string, marked: boolean): void {
    if (marked) this.marked.add(node);
    else this.marked.delete(node);
  }

  setNodeConfig(node: string, config: { marked: boolean; wakeOnLan: boolean }): void {
    this.setMarked(node, config.marked);
    if (config.wakeOnLan) this.wakeable.add(node);
    else this.wakeable.delete(node);
  }

  setNodeNetwork(node: string, interfaces: PveInterface[]): void {
    this.networks.set(node, interfaces);
  }

  nodeNetwork(node: string): PveInterface[] {
    return this.networks.get(node) ?? [];
  }

  setSdn(vnets: PveVnet[], zones: PveZone[]): void {
    this.sdn = { vnets, zones };
  }

  sdnConfig(): { vnets: PveVnet[]; zones: PveZone[] } {
    return this.sdn;
  }

  setVersion(version: string): void {
    this.version = version || undefined;
  }

  applyClusterStatus(status: ClusterStatusEntry[]): void {
    const cluster = status.find((e) => e.type === 'cluster');
    const nodes = status.filter((e) => e.type === 'node');
    this.nodeIps.clear();
    for (const n of nodes) if (n.ip) this.nodeIps.set(n.name, n.ip);
    this.cluster = cluster
      ? { name: cluster.name, standalone: false, quorate: cluster.quorate === 1, version: this.version }
      : { name: nodes[0]?.name ?? this.host, standalone: true, version: this.version };
  }

  /** Takes a /cluster/resources answer; returns the guests whose snapshot list should be read again (new or changed). */
  applyResources(resources: PveResource[]): string[] {
    const stale: string[] = [];
    const seen = new Set<string>();
    this.hosts = resources.filter((r) => r.type === 'node');
    this.storages = resources.filter((r) => r.type === 'storage');
    // a node going on- or offline changes which guests can move
    const online = this.hosts.filter((h) => h.status === 'online').map((h) => h.node).sort().join(',');
    if (online !== this.onlineSignature) {
      this.onlineSignature = online;
      for (const ref of this.guests.keys()) this.dirty.add(ref);
    }
    for (const r of resources) {
      if (!isGuest(r)) continue;
      const ref = guestRef(r.type, r.vmid);
      seen.add(ref);
      const sig = signatureOfResource(r);
      if (this.guestSignatures.get(ref) !== sig) {
        stale.push(ref);
        this.guestSignatures.set(ref, sig);
        this.dirty.add(ref);
      }
      this.guests.set(ref, r);
      this.trackBootTime(ref, r);
    }
    for (const ref of [...this.guests.keys()]) {
      if (seen.has(ref)) continue;
      this.guests.delete(ref);
      this.guestSignatures.delete(ref);
      this.snapshots.delete(ref);
      this.snapshotSignatures.delete(ref);
      this.bootTimes.delete(ref);
      this.dirty.add(ref);
    }
    return stale;
  }

  setSnapshots(ref: string, list: PveSnapshotEntry[]): void {
    const sig = JSON.stringify(list.map((e) => [e.name, e.parent, e.snaptime, e.vmstate, e.description]));
    if (!this.guests.has(ref) || this.snapshotSignatures.get(ref) === sig) return;
    this.snapshots.set(ref, list);
    this.snapshotSignatures.set(ref, sig);
    this.dirty.add(ref);
  }

  /** The guest's snapshot list has been read (its node is not `snapshotsPending`). */
  hasSnapshotList(ref: string): boolean {
    return this.snapshots.has(ref);
  }

  /** The next `count` guests in rotation, to catch snapshot changes no resource entry shows. */
  nextSweep(count: number): string[] {
    const refs = [...this.guests.keys()];
    if (!refs.length || count <= 0) return [];
    const out: string[] = [];
    for (let i = 0; i < Math.min(count, refs.length); i++) out.push(refs[(this.sweepCursor + i) % refs.length]);
    this.sweepCursor = (this.sweepCursor + out.length) % refs.length;
    return out;
  }

  /** Every owner's nodes, for a reset or a full comparison; forgets what was dirty. */
  nodesByOwner(): NodesByOwner {
    this.dirty.clear();
    const all: NodesByOwner = new Map([[INFRA_OWNER, this.infraNodes()]]);
    for (const ref of this.guests.keys()) all.set(ref, this.guestNodes(ref));
    return all;
  }

  /** The infrastructure and the guests changed since the last call (a gone guest owns no nodes). */
  changedNodes(): NodesByOwner {
    const changed: NodesByOwner = new Map([[INFRA_OWNER, this.infraNodes()]]);
    for (const ref of this.dirty) changed.set(ref, this.guestNodes(ref));
    this.dirty.clear();
    return changed;
  }

  private infraNodes() {
    const sid = this.serverId;
    const facts = this.hostFacts();
    return [
      clusterNode(sid, this.cluster, this.hosts.length),
      ...this.hosts.map((h, i) => withHostActions(hostNode(sid, h, this.nodeIps.get(h.node ?? '')), facts[i], facts)),
      ...storageNodes(sid, this.storages),
      ...networkNodes(sid, this.networks, this.sdn.vnets, this.sdn.zones, facts.map((h) => h.name)),
    ];
  }

  private guestNodes(ref: string) {
    const g = this.guests.get(ref);
    if (!g) return [];
    const list = this.snapshots.get(ref);
    const node = guestNode(this.serverId, g, currentSnapshotOf(list), this.bootTimes.get(ref) ?? null);
    if (!list) node.snapshotsPending = true;
    // PVE answers for a guest on its own node: an offline node moves nothing
    const home = this.hosts.some((h) => h.status === 'online' && h.node === g.node);
    const elsewhere = this.hosts.some((h) => h.status === 'online' && h.node !== g.node);
    if (home && elsewhere && !g.lock && node.kind !== 'template') node.allowed = [...node.allowed, 'migrate'];
    // a list not read yet may hold snapshots: Convert to template waits until it says none
    const snapshots = list ? list.filter((s) => s.name !== 'current').length : Number.POSITIVE_INFINITY;
    if (home && !g.lock) node.allowed = [...node.allowed, ...lifecycleAllowed(node.kind, node.state, snapshots)];
    return [node, ...(list ? snapshotNodes(this.serverId, node, list) : [])];
  }

  private trackBootTime(ref: string, r: PveResource): void {
    if (r.status === 'stopped' || !r.uptime) {
      if (this.bootTimes.delete(ref)) this.dirty.add(ref);
      return;
    }
    const candidate = Math.round(Date.now() / 1000 - r.uptime);
    const previous = this.bootTimes.get(ref);
    // polling jitter moves now-uptime by a second or two; only a restart moves it further
    if (previous === undefined || Math.abs(previous - candidate) > 5) {
      this.bootTimes.set(ref, candidate);
      this.dirty.add(ref);
    }
  }
}

export interface HostFacts {
  name: string;
  online: boolean;
  /** HA node maintenance (set with ha-manager) */
  ha: boolean;
  /** Polyvisor's mark in the node's notes */
  marked: boolean;
  /** a wake-on-LAN MAC is configured: POST /nodes/{node}/wakeonlan can power it on */
  wakeOnLan: boolean;
  maxmem: number;
  mem: number;
}

/** A host's maintenance state and the host actions PVE would take now. */
function withHostActions(node: InventoryNode, me: HostFacts, all: HostFacts[]): InventoryNode {
  const maintenance = me.ha || me.marked;
  const allowed: HostAction[] = [];
  if (me.online) {
    const another = all.some((h) => h.name !== me.name && h.online);
    if (another && !maintenance) allowed.push('maintenance_enter');
    if (another) allowed.push('evacuate');
    allowed.push('host_reboot', 'host_shutdown');
  } else if (me.wakeOnLan) {
    allowed.push('host_power_on');
  }
  // only Polyvisor's own mark can be taken off through the API; HA maintenance is ended with ha-manager
  if (me.marked) allowed.push('maintenance_exit');
  return { ...node, maintenance, allowed, props: { ...node.props, ...(me.ha ? { haMaintenance: true } : {}) } };
}

function signatureOfResource(r: PveResource): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1))) if (!USAGE_FIELDS.has(k)) parts.push(`${k}=${JSON.stringify(v)}`);
  return parts.join('|');
}
