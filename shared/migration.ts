// Moving VMs between hosts and emptying hosts (issue 13): what the renderer asks
// before it starts a `migrate` or `evacuate` action, answered from the servers'
// own checks (XAPI assert_can_migrate, Proxmox GET …/migrate, vSphere faults).

import type { ErrorInfo } from './errors';

/** Where a VM's disks can go on a host of another server (XAPI SR, vSphere datastore). */
export interface StorageChoice {
  /** opaque to everything but the provider; passed back as ActionParams.storageId */
  id: string;
  name: string;
  /** bytes free, when the server says */
  freeBytes?: number;
  /** bytes in all, when the server says (the wizard shows free of capacity) */
  capacityBytes?: number;
  /** reachable from every host of its pool/cluster */
  shared?: boolean;
  /** the destination's default for new disks */
  isDefault?: boolean;
  /** inventory id of the one host this storage is on (Proxmox local storage): the New VM wizard offers it only there; absent = any host */
  hostId?: string;
}

/** One host a VM could be moved to, or why it cannot (the server's code and parameters, in words). */
export interface MigrationTarget {
  /** inventory id of the host (Docker: of the engine) */
  hostId: string;
  ok: boolean;
  reason?: ErrorInfo;
  /** on another server of the same type: a cross-pool/cross-engine move (XAPI storage migration, Docker container move) */
  crossServer?: boolean;
  /** the move stops the VM first (Docker container move, Proxmox LXC restart-migration); the dialog says so */
  offline?: boolean;
  /** cross-server targets: where the disks may go (the first isDefault is preselected) */
  storages?: StorageChoice[];
}

export interface VmMigrationTargets {
  vmId: string;
  /** every host the VM could be sent to, the one it is on excluded */
  targets: MigrationTarget[];
}

/** The answer of `migration:plan`: per VM, each possible host with ok or the reason. */
export interface MigrationPlan {
  vms: VmMigrationTargets[];
}

/** One VM of a host about to be evacuated: where the server would put it, or why it cannot move. */
export interface EvacuationStep {
  vmId: string;
  targetHostId?: string;
  reason?: ErrorInfo;
}

export interface EvacuationPlan {
  hostId: string;
  steps: EvacuationStep[];
  /** true when every running VM has a target: the evacuation can start */
  canEvacuate: boolean;
}

/** A pool a standalone host could join (pool_join), or the server's reason why not. */
export interface PoolJoinChoice {
  /** inventory id of the pool node (on another connected server of the same type) */
  poolId: string;
  ok: boolean;
  reason?: ErrorInfo;
}

/** The answer of `pools:joinPlan`: every connected pool of the host's type, each ok or why not. */
export interface PoolJoinPlan {
  hostId: string;
  pools: PoolJoinChoice[];
}
