// Making, changing and moving guests: migration and pool plans, the New VM wizard, properties, images.
import type { EvacuationPlan, MigrationPlan, PoolJoinPlan } from '../migration';
import type { CreateOptions, DeletePlan, GuestChanges, GuestCreateSpec, GuestProperties } from '../guests';
import type { TaskInfo } from '../contract';

export interface GuestChannels {
  /** for each VM, every host it could move to, or the server's reason why not */
  'migration:plan': { args: [vmIds: string[]]; result: MigrationPlan };
  /** where each running VM of a host would go if it were evacuated now, or why it cannot */
  'hosts:evacuationPlan': { args: [hostId: string]; result: EvacuationPlan };
  /** the pools of the other connected servers a standalone host could join now (pool_join), each ok or the server's reason why not */
  'pools:joinPlan': { args: [hostId: string]; result: PoolJoinPlan };

  /** what the New VM wizard may offer on a server: templates/images, hosts, storages, networks, ISOs */
  'guests:createOptions': { args: [serverId: string]; result: CreateOptions };
  /** makes a VM or container; the task's resultId is the new guest's inventory id */
  'guests:create': { args: [serverId: string, spec: GuestCreateSpec]; result: TaskInfo };
  /** a guest's settings as its server has them now (the Properties dialog) */
  'guests:properties': { args: [nodeId: string]; result: GuestProperties };
  /** changes settings of one guest, or the memory of several at once (one task each) */
  'guests:configure': { args: [nodeIds: string[], changes: GuestChanges]; result: TaskInfo[] };
  /** what deleting these guests would destroy, before anything happens */
  'guests:deletePlan': { args: [nodeIds: string[]]; result: DeletePlan };
  /** Docker: pulls an image onto an engine, with progress */
  'images:pull': { args: [serverId: string, reference: string]; result: TaskInfo };
  /** Docker: removes the engine's unused images / unused volumes */
  'images:prune': { args: [serverId: string]; result: TaskInfo };
  'volumes:prune': { args: [serverId: string]; result: TaskInfo };
}

export const GUEST_CHANNELS: Record<keyof GuestChannels, true> = {
  'migration:plan': true,
  'hosts:evacuationPlan': true,
  'pools:joinPlan': true,
  'guests:createOptions': true,
  'guests:create': true,
  'guests:properties': true,
  'guests:configure': true,
  'guests:deletePlan': true,
  'images:pull': true,
  'images:prune': true,
  'volumes:prune': true,
};
