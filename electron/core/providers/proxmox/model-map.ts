// Maps PVE API answers (/cluster/resources entries, snapshot lists) onto the
// normalized inventory model. Pure functions: no I/O here.

import { nodeId, type ActionName, type InventoryNode, type PowerState } from '../../../../shared/model';
import { readMarkedDescription } from '../common/policy-mark';

/** One entry of GET /cluster/resources (fields as the API names them). */
export interface PveResource {
  id: string;
  type: string;
  node?: string;
  vmid?: number | string;
  name?: string;
  status?: string;
  template?: number | boolean;
  maxcpu?: number;
  /** CPU in use, a fraction of maxcpu (nodes and running guests) */
  cpu?: number;
  maxmem?: number;
  maxdisk?: number;
  disk?: number;
  /** memory in use (nodes: the host's, guests: the guest's) */
  mem?: number;
  uptime?: number;
  tags?: string;
  lock?: string;
  pool?: string;
  hastate?: string;
  /** storage entries: the storage's id, its plugin type, what it holds, shared (1) or local to `node` */
  storage?: string;
  plugintype?: string;
  content?: string;
  shared?: number;
}

/** One entry of GET …/{vmid}/snapshot */
export interface PveSnapshotEntry {
  name: string;
  description?: string;
  snaptime?: number;
  vmstate?: number | boolean;
  parent?: string;
}

export interface ClusterInfo {
  name: string;
  standalone: boolean;
  quorate?: boolean;
  version?: string;
}

export type GuestType = 'qemu' | 'lxc';

/** Native refs: the cluster is "cluster", a node its name, a guest "qemu/100", a snapshot "qemu/100/snap1". */
export const CLUSTER_REF = 'cluster';
export const guestRef = (type: GuestType, vmid: number | string) => `${type}/${vmid}`;
export const snapshotRef = (guest: string, snapname: string) => `${guest}/${snapname}`;

export function parseGuestRef(ref: string): { type: GuestType; vmid: number; snapname?: string } | null {
  const m = /^(qemu|lxc)\/(\d+)(?:\/([^/]+))?$/.exec(ref);
  if (!m) return null;
  return { type: m[1] as GuestType, vmid: Number(m[2]), snapname: m[3] };
}

export function isGuest(r: PveResource): r is PveResource & { type: GuestType; vmid: number | string; node: string } {
  return (r.type === 'qemu' || r.type === 'lxc') && r.vmid !== undefined && !!r.node;
}

/** The guest's name, or "VM 100" / "CT 100" for one without. */
export const guestName = (r: PveResource) => r.name ?? `${r.type === 'qemu' ? 'VM' : 'CT'} ${r.vmid}`;

export const clusterId = (serverId: string) => nodeId(serverId, 'pool', CLUSTER_REF);
export const hostId = (serverId: string, node: string) => nodeId(serverId, 'host', node);
export const guestKind = (r: PveResource) => (truthy(r.template) ? 'template' : r.type === 'qemu' ? 'vm' : 'container');
export const guestId = (serverId: string, r: PveResource) => nodeId(serverId, guestKind(r), guestRef(r.type as GuestType, r.vmid!));
export const snapshotId = (serverId: string, guest: string, snapname: string) => nodeId(serverId, 'snapshot', snapshotRef(guest, snapname));

function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}

export function clusterNode(serverId: string, info: ClusterInfo, nodeCount: number): InventoryNode {
  return {
    id: clusterId(serverId),
    serverId,
    kind: 'pool',
    name: info.name,
    parentId: null,
    nativeRef: CLUSTER_REF,
    allowed: [],
    props: {
      standalone: info.standalone,
      nodes: nodeCount,
      ...(info.quorate !== undefined ? { quorate: info.quorate } : {}),
      ...(info.version ? { version: info.version } : {}),
    },
  };
}

export function hostNode(serverId: string, r: PveResource, ip?: string): InventoryNode {
  const node = r.node ?? r.id.replace(/^node\//, '');
  const state: PowerState = r.status === 'online' ? 'running' : r.status === 'offline' ? 'halted' : 'unknown';
  return {
    id: hostId(serverId, node),
    serverId,
    kind: 'host',
    name: node,
    parentId: clusterId(serverId),
    nativeRef: node,
    state,
    allowed: [],
    props: compact({
      node,
      status: r.status ?? 'unknown',
      memory: r.maxmem,
      vcpus: r.maxcpu,
      disk: r.maxdisk,
      uptime: r.uptime,
      ip,
    }),
  };
}

/** PVE status (QMP status for running VMs) plus lock → normalized power state. */
export function guestState(r: PveResource): PowerState {
  if (r.lock === 'suspended') return 'suspended';
  switch (r.status) {
    case 'running':
      return 'running';
    case 'paused':
    case 'prelaunch':
      return 'paused';
    case 'suspended':
      return 'suspended';
    case 'stopped':
      return 'halted';
    default:
      return 'unknown';
  }
}

/** What PVE would accept right now; locked guests accept nothing until the lock goes. */
export function guestAllowed(r: PveResource): ActionName[] {
  if (truthy(r.template)) return [];
  const state = guestState(r);
  if (r.type === 'qemu') {
    if (r.lock === 'suspended') return ['resume'];
    if (r.lock) return [];
    switch (state) {
      case 'running':
        return ['shutdown', 'force_shutdown', 'reboot', 'force_reboot', 'suspend', 'pause', 'snapshot_create'];
      case 'paused':
        return ['unpause', 'force_shutdown', 'snapshot_create'];
      case 'halted':
        return ['start', 'snapshot_create'];
      default:
        return [];
    }
  }
  if (r.lock) return [];
  if (state === 'running') return ['shutdown', 'force_shutdown', 'reboot', 'snapshot_create'];
  if (state === 'halted') return ['start', 'snapshot_create'];
  return [];
}

/**
 * Clone, convert and delete as PVE would take them now (an unlocked guest on an online node):
 * a template clones and is deleted; a stopped guest also converts (only without snapshots);
 * a running VM clones (online full copy), a running container does not (PVE copies one only
 * from a snapshot) and neither is deleted while it runs.
 */
export function lifecycleAllowed(kind: string, state: PowerState | undefined, snapshots: number): ActionName[] {
  if (kind === 'template') return ['clone', 'destroy'];
  if (state === 'halted') return snapshots ? ['clone', 'destroy'] : ['clone', 'to_template', 'destroy'];
  return kind === 'vm' && (state === 'running' || state === 'paused') ? ['clone'] : [];
}

export function splitTags(tags: string | undefined): string[] {
  return tags ? tags.split(/[;, ]+/).filter(Boolean) : [];
}

export function guestNode(serverId: string, r: PveResource, currentSnapshot: string | null, startedAt: number | null): InventoryNode {
  const ref = guestRef(r.type as GuestType, r.vmid!);
  return {
    id: guestId(serverId, r),
    serverId,
    kind: guestKind(r),
    name: guestName(r),
    parentId: hostId(serverId, r.node!),
    nativeRef: ref,
    state: guestState(r),
    allowed: guestAllowed(r),
    currentSnapshotId: currentSnapshot ? snapshotId(serverId, ref, currentSnapshot) : null,
    props: compact({
      vmid: Number(r.vmid),
      type: r.type,
      node: r.node,
      status: r.status,
      memory: r.maxmem,
      vcpus: r.maxcpu,
      disk: r.maxdisk,
      uptime: r.uptime,
      startedAt: startedAt ? new Date(startedAt * 1000).toISOString() : undefined,
      tags: splitTags(r.tags),
      lock: r.lock,
      pool: r.pool,
      hastate: r.hastate,
    }),
  };
}

/** What a snapshot of an unlocked guest allows: everything PVE does with one (a rename it cannot: names are keys). */
export const SNAPSHOT_ACTIONS: readonly ActionName[] = ['snapshot_revert', 'snapshot_delete', 'snapshot_edit', 'snapshot_clone', 'snapshot_template'];

export function snapshotNodes(serverId: string, guest: InventoryNode, list: PveSnapshotEntry[]): InventoryNode[] {
  const locked = typeof guest.props.lock === 'string' && guest.props.lock !== '';
  return list
    .filter((s) => s.name !== 'current')
    .map((s) => {
      // a policy's snapshot carries its tag on the description's last line; users read the rest
      const { description, policyId } = readMarkedDescription(s.description);
      return {
        id: snapshotId(serverId, guest.nativeRef, s.name),
        serverId,
        kind: 'snapshot' as const,
        name: s.name,
        parentId: guest.id,
        nativeRef: snapshotRef(guest.nativeRef, s.name),
        allowed: locked ? [] : [...SNAPSHOT_ACTIONS],
        props: compact({ description, vmstate: truthy(s.vmstate) }),
        snapshot: {
          ofId: guest.id,
          parentSnapshotId: s.parent ? snapshotId(serverId, guest.nativeRef, s.parent) : null,
          time: s.snaptime ? new Date(s.snaptime * 1000).toISOString() : null,
          withMemory: truthy(s.vmstate),
          description,
          ...(policyId ? { policyId } : {}),
        },
      };
    });
}

/** The snapshot the guest currently derives from: `parent` of the `current` pseudo-entry. */
export function currentSnapshotOf(list: PveSnapshotEntry[] | undefined): string | null {
  return list?.find((s) => s.name === 'current')?.parent ?? null;
}

function compact(props: Record<string, string | number | boolean | string[] | null | undefined>): InventoryNode['props'] {
  const out: InventoryNode['props'] = {};
  for (const [k, v] of Object.entries(props)) if (v !== undefined) out[k] = v;
  return out;
}
