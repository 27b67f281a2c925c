// Moving VMs between the hosts of one vCenter (issue 13).
//   plan       every other host of the server, ok or why not (migration-rules.ts: Polyvisor's
//              reading of the hosts' state; vcsim 0.24 has no CheckMigrate_Task or
//              QueryVMotionCompatibility to ask)
//   evacuation where each running VM of a host would go: another host of its cluster, the
//              least loaded first
//   migrate    RelocateVM_Task with spec.host, spec.pool (the target's root resource pool when
//              the VM changes cluster) and spec.datastore (ActionParams.storageId). vSphere's
//              MigrateVM_Task is deprecated and vcsim 0.24 lacks it; relocating a running VM
//              to another host is a vMotion all the same. A fault the server raises comes back
//              with its MethodFault type as serverCode.

import { PolyvisorError, type ErrorInfo } from '../../../../shared/errors';
import type { ActionResult, ProviderMigration, ProviderMigrationTarget, TaskReporter } from '../provider';
import type { InventoryModel } from './inventory-model';
import { sameComputeResource, targetRefusal, type HostFacts, type VmPlacement } from './migration-rules';
import { retrieveOne } from './property-collector';
import { followTask, taskRef } from './tasks';
import type { VimClient } from './vim-client';
import { el, moRef, readMoRef, readMoRefArray, type ManagedObjectReference } from './xml';

export interface MigrationContext {
  client: VimClient;
  model: InventoryModel | null;
}

const hostRef = (value: string): ManagedObjectReference => ({ type: 'HostSystem', value });

function modelOf(ctx: MigrationContext): InventoryModel {
  if (!ctx.model) throw new PolyvisorError({ code: 'CONNECTION_FAILED', message: 'The inventory is still loading; try again in a moment.' });
  return ctx.model;
}

/** The ProviderMigration facet over the session `current()` returns when asked. */
export function vsphereMigration(current: () => MigrationContext): ProviderMigration {
  return {
    plan: async (vmRefs) => {
      const model = modelOf(current());
      return vmRefs.map((vmRef) => ({ vmRef, targets: targetsFor(model, vmRef) }));
    },
    evacuationPlan: async (host) => evacuationPlan(modelOf(current()), host).map(({ vm, target, reason }) => ({
      vmRef: vm.ref,
      ...(target ? { hostRef: target.ref } : {}),
      ...(reason ? { reason } : {}),
    })),
  };
}

function targetsFor(model: InventoryModel, vmRef: string): ProviderMigrationTarget[] {
  const vm = model.vm(vmRef);
  if (!vm) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Virtual machine ${vmRef} is not in the inventory.` });
  return model
    .hostList()
    .filter((h) => h.ref !== vm.host)
    .map((h) => {
      const reason = targetRefusal(h, vm.datacenter);
      return reason ? { hostRef: h.ref, ok: false, reason } : { hostRef: h.ref, ok: true };
    });
}

export interface EvacuationStep {
  vm: VmPlacement;
  target?: HostFacts;
  reason?: ErrorInfo;
}

/** Each powered-on VM of the host and the host of its cluster it would go to (the one given fewest VMs so far), or why none. */
export function evacuationPlan(model: InventoryModel, hostRef: string): EvacuationStep[] {
  const host = model.host(hostRef);
  if (!host) throw new PolyvisorError({ code: 'NOT_FOUND', message: `Host ${hostRef} is not in the inventory.` });
  const running = model.vmsOn(hostRef).filter((vm) => vm.powerState === 'poweredOn');
  const others = model.hostList().filter((h) => h.ref !== hostRef);
  const peers = others.filter((h) => host.computeResource?.type === 'ClusterComputeResource' && sameComputeResource(host, h));
  const load = new Map(peers.map((h) => [h.ref, model.vmsOn(h.ref).filter((vm) => vm.powerState === 'poweredOn').length]));
  return running.map((vm) => {
    const candidates = peers.filter((h) => targetRefusal(h, vm.datacenter) === null);
    if (!candidates.length) return { vm, reason: noTarget(host, peers) };
    const target = candidates.reduce((best, h) => (load.get(h.ref)! < load.get(best.ref)! ? h : best));
    load.set(target.ref, load.get(target.ref)! + 1);
    return { vm, target };
  });
}

function noTarget(host: HostFacts, peers: HostFacts[]): ErrorInfo {
  if (host.computeResource?.type !== 'ClusterComputeResource') {
    return { code: 'INVALID_INPUT', message: `${host.name} is not in a cluster: there is no other host to move its running VMs to.` };
  }
  const why = peers.map((h) => targetRefusal(h, host.datacenter)?.message).filter(Boolean);
  return { code: 'INVALID_INPUT', message: `No other host of the cluster can take it now.${why.length ? ` ${why.join(' ')}` : ''}` };
}

/** RelocateVM_Task of `vmRef` to `targetRef`; with `storageId` its disks move to that datastore too. */
export async function relocateVm(ctx: MigrationContext, vmRef: string, targetRef: string | undefined, storageId: string | undefined, task: TaskReporter): Promise<ActionResult> {
  if (!targetRef) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'targetId', message: 'Choose the host to move the virtual machine to.' });
  const model = modelOf(ctx);
  const target = model.host(targetRef);
  if (!target) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'targetId', message: `Host ${targetRef} is not in the inventory.` });
  // a VM the inventory does not know (gone meanwhile): the server answers with its own fault
  const vm = model.vm(vmRef);
  const name = vm?.name || vmRef;
  const refusal = targetRefusal(target, vm?.datacenter ?? null);
  if (refusal) throw new PolyvisorError({ ...refusal, field: 'targetId', message: `${name} cannot move to ${target.name}: ${refusal.message}` });
  const source = vm?.host ? model.host(vm.host) : undefined;
  const pool = vm && !sameComputeResource(source, target) ? await rootPool(ctx.client, target) : undefined;
  const datastore = storageId ? await datastoreOn(ctx.client, target, storageId) : undefined;
  const spec = el('spec', [datastore && moRef('datastore', datastore), pool && moRef('pool', pool), moRef('host', hostRef(target.ref))]);
  const returned = await ctx.client.call('RelocateVM_Task', { type: 'VirtualMachine', value: vmRef }, [spec, el('priority', 'defaultPriority')]);
  await followTask(ctx.client, taskRef(returned, 'RelocateVM_Task'), task, `Migrate ${name} to ${target.name}`);
  return {};
}

/** The resource pool a VM joins on another cluster or standalone host: its compute resource's root pool. */
export async function rootPool(client: VimClient, target: HostFacts): Promise<ManagedObjectReference> {
  const pool = target.computeResource ? readMoRef((await retrieveOne(client, target.computeResource, ['resourcePool']))?.get('resourcePool')) : null;
  if (!pool) throw new PolyvisorError({ code: 'NOT_FOUND', message: `${target.name} has no resource pool to put the virtual machine in.` });
  return pool;
}

/** The datastore `id` when the target host mounts it (vSphere places disks only where the host reaches them). */
async function datastoreOn(client: VimClient, target: HostFacts, id: string): Promise<ManagedObjectReference> {
  const mounted = readMoRefArray((await retrieveOne(client, hostRef(target.ref), ['datastore']))?.get('datastore'));
  const datastore = mounted.find((d) => d.value === id);
  if (!datastore) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'storageId', message: `${target.name} has no datastore ${id}.` });
  return datastore;
}
