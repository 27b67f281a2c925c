// The normalized inventory model: everything above a provider speaks only this.

import type { StorageInfo } from './storage';
import type { NetworkInfo } from './networks';

/** A provider's type, e.g. 'xenserver': the registry of providers says which exist. */
export type HypervisorType = string;

export type NodeKind =
  | 'server' // a saved connection (root of the tree)
  | 'pool' // XAPI pool, Proxmox cluster, vSphere datacenter
  | 'cluster' // vSphere compute cluster
  | 'host' // XAPI host, Proxmox node, ESXi host
  | 'vm' // virtual machine (XAPI VM, qemu guest, vSphere VM)
  | 'container' // LXC guest or Docker container
  | 'template'
  | 'project' // Docker compose project
  | 'image' // Docker image, under its engine
  | 'volume' // Docker named volume, under its engine
  | 'storage' // XAPI SR, Proxmox storage, vSphere datastore: under the host that alone has it, else under the pool
  | 'network' // XAPI network, Proxmox bridge/vnet, vSphere network/DVS/port group, Docker network
  | 'snapshot';

export type PowerState =
  | 'running'
  | 'halted'
  | 'paused'
  | 'suspended'
  | 'restarting'
  | 'unhealthy'
  | 'unknown';

/** Power actions, named once for every hypervisor. */
export type PowerAction =
  | 'start'
  | 'shutdown' // clean (guest) shutdown; Docker: stop
  | 'force_shutdown' // hard power-off; Docker: kill
  | 'reboot' // clean reboot; Docker: restart
  | 'force_reboot' // hard reset
  | 'suspend'
  | 'resume'
  | 'pause'
  | 'unpause';

export type SnapshotAction =
  | 'snapshot_create'
  | 'snapshot_revert'
  | 'snapshot_delete'
  /** rename and/or change the description (params name, description) */
  | 'snapshot_edit'
  /** a new VM or container from the snapshot (params name) */
  | 'snapshot_clone'
  /** a template from the snapshot, where the platform has templates (params name) */
  | 'snapshot_template';

/** Moving a VM or container to another host (params targetId, storageId) */
export type MigrationAction = 'migrate';

/** What a host can be asked (issue 13); each is in a host node's `allowed` when the server would take it now. */
export type HostAction =
  /** XAPI disable + evacuate, vSphere EnterMaintenanceMode, Proxmox: every guest migrated away and the node marked */
  | 'maintenance_enter'
  | 'maintenance_exit'
  /** move every running VM away (one child task per VM), the host stays enabled */
  | 'evacuate'
  /** params.force: although VMs still run on it */
  | 'host_reboot'
  | 'host_shutdown'
  /** XAPI host.power_on where the host's power-on mode is configured */
  | 'host_power_on';

export const HOST_ACTIONS: readonly HostAction[] = ['maintenance_enter', 'maintenance_exit', 'evacuate', 'host_reboot', 'host_shutdown', 'host_power_on'];

/**
 * Making and removing guests (issue 14). clone: params name, full (else the platform's fast clone);
 * to_template / to_vm: convert in place; destroy: params keepDisks, force (a running guest).
 * Compose projects take the power actions and destroy; images and volumes take destroy.
 */
export type LifecycleAction = 'clone' | 'to_template' | 'to_vm' | 'destroy';

export const LIFECYCLE_ACTIONS: readonly LifecycleAction[] = ['clone', 'to_template', 'to_vm', 'destroy'];

/**
 * Pool membership (XAPI, XenCenter's Add Server to Pool / Remove Server from Pool), on a host node:
 * pool_join (params.targetId = the inventory id of the pool to join, on another connected server) on a
 * standalone host; pool_eject on a member that is not the master — it leaves with no VMs and its local storage wiped.
 */
export type PoolAction = 'pool_join' | 'pool_eject';

export const POOL_ACTIONS: readonly PoolAction[] = ['pool_join', 'pool_eject'];

export type ActionName = PowerAction | SnapshotAction | MigrationAction | HostAction | LifecycleAction | PoolAction;

export const POWER_ACTIONS: readonly PowerAction[] = [
  'start',
  'shutdown',
  'force_shutdown',
  'reboot',
  'force_reboot',
  'suspend',
  'resume',
  'pause',
  'unpause',
];

/** Well-known property keys shown on the General tab (translated by the renderer). */
export type PropValue = string | number | boolean | string[] | null;
export type Props = Record<string, PropValue>;

export interface SnapshotInfo {
  /** id of the VM/container this snapshot belongs to */
  ofId: string;
  /** id of the parent snapshot in the snapshot tree, null for a root */
  parentSnapshotId: string | null;
  /** ISO-8601 time the snapshot was taken */
  time: string | null;
  /** true when the snapshot holds memory (checkpoint / vmstate / docker checkpoint) */
  withMemory: boolean;
  description: string;
  /** taken by a snapshot policy: its id (`${serverId}:policy:${ref}` or `polyvisor:${uuid}`) */
  policyId?: string;
  /** the policy's name, when the provider knows it (XAPI VMSS) */
  policyName?: string;
}

export interface InventoryNode {
  /** stable id: `${serverId}:${kind}:${nativeRef}` */
  id: string;
  serverId: string;
  kind: NodeKind;
  name: string;
  /** parent in the infrastructure tree (null only for the server node) */
  parentId: string | null;
  /** the provider's own reference (OpaqueRef, vmid, moref, container id) */
  nativeRef: string;
  state?: PowerState;
  /** actions allowed right now, as reported by the server */
  allowed: ActionName[];
  /** General-tab properties: state, host, memory, vcpus, os, ips, uuid, … */
  props: Props;
  /** XAPI control domain (dom0): hidden in the tree */
  controlDomain?: boolean;
  /** for VM/container nodes: the snapshot the VM currently derives from ("you are here") */
  currentSnapshotId?: string | null;
  /** for snapshot nodes */
  snapshot?: SnapshotInfo;
  /** for guest nodes: the snapshot list is not read yet (Proxmox VE reads it after the tree; `snapshots:readList` reads it now) */
  snapshotsPending?: true;
  /** for host nodes: in maintenance mode (XAPI disabled for maintenance, vSphere inMaintenanceMode, Proxmox node marked) */
  maintenance?: boolean;
  /** for storage nodes and Docker volumes (issue 16): type, shared, sizes, attached hosts */
  storage?: StorageInfo;
  /** for network nodes (issue 16): type, VLAN, MTU, bridge or switch, hosts */
  network?: NetworkInfo;
}

export function nodeId(serverId: string, kind: NodeKind, nativeRef: string): string {
  return `${serverId}:${kind}:${nativeRef}`;
}

/** Changes to one server's inventory. `reset` replaces everything the server had. */
export interface InventoryDelta {
  serverId: string;
  reset?: boolean;
  upsert: InventoryNode[];
  remove: string[];
}

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'error';

export interface Capabilities {
  /** snapshot kinds the platform has: disk-only, with memory, quiesced */
  snapshotKinds: Array<'disk' | 'memory' | 'quiesce' | 'volumes'>;
  consoles: Array<'rfb' | 'text'>;
  powerActions: PowerAction[];
}
