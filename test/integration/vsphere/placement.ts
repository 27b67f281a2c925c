// Where vcsim says each VM runs and what state each host is in, read through the
// independent SOAP client (never through the provider under test), and changes
// made "by another user" on that client.

import type { RawSoap, Ref } from './raw-soap';
import { text } from './raw-soap';

export interface RawVm {
  ref: string;
  name: string;
  host: string;
  powerState: string;
  resourcePool: string;
  datastores: string[];
}

export interface RawHost {
  ref: string;
  name: string;
  /** the ComputeResource or ClusterComputeResource holding it */
  parent: Ref;
  inMaintenance: boolean;
  connectionState: string;
  powerState: string;
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const refOf = (v: unknown): Ref => ({ type: String((v as Record<string, unknown>)['@_type']), value: text(v) });

export async function rawVms(raw: RawSoap): Promise<RawVm[]> {
  const vms = await raw.objects('VirtualMachine', ['name', 'runtime.host', 'runtime.powerState', 'resourcePool', 'datastore', 'config.template']);
  return vms
    .filter((v) => text(v.props['config.template']) !== 'true')
    .map((v) => ({
      ref: v.ref.value,
      name: text(v.props.name),
      host: text(v.props['runtime.host']),
      powerState: text(v.props['runtime.powerState']),
      resourcePool: text(v.props.resourcePool),
      datastores: list((v.props.datastore as Record<string, unknown> | undefined)?.ManagedObjectReference).map(text),
    }));
}

export async function rawVm(raw: RawSoap, ref: string): Promise<RawVm> {
  const vm = (await rawVms(raw)).find((v) => v.ref === ref);
  if (!vm) throw new Error(`vcsim has no VM ${ref}`);
  return vm;
}

export async function rawHosts(raw: RawSoap): Promise<RawHost[]> {
  const hosts = await raw.objects('HostSystem', ['name', 'parent', 'runtime.inMaintenanceMode', 'runtime.connectionState', 'runtime.powerState']);
  return hosts.map((h) => ({
    ref: h.ref.value,
    name: text(h.props.name),
    parent: refOf(h.props.parent),
    inMaintenance: text(h.props['runtime.inMaintenanceMode']) === 'true',
    connectionState: text(h.props['runtime.connectionState']),
    powerState: text(h.props['runtime.powerState']),
  }));
}

export async function rawHost(raw: RawSoap, ref: string): Promise<RawHost> {
  const host = (await rawHosts(raw)).find((h) => h.ref === ref);
  if (!host) throw new Error(`vcsim has no host ${ref}`);
  return host;
}

/** The root resource pool of a compute resource (where a VM joins another cluster or standalone host). */
export async function rawRootPool(raw: RawSoap, computeResource: Ref): Promise<string> {
  const all = await raw.objects(computeResource.type, ['resourcePool']);
  return text(all.find((c) => c.ref.value === computeResource.value)?.props.resourcePool);
}

/** Puts a host in or out of Maintenance Mode as another vSphere user would. */
export async function setMaintenance(raw: RawSoap, host: string, on: boolean): Promise<void> {
  const ref: Ref = { type: 'HostSystem', value: host };
  await raw.runTask(on ? 'EnterMaintenanceMode_Task' : 'ExitMaintenanceMode_Task', ref, '<timeout>0</timeout>');
}

/** The datastores the datacenter's hosts mount (vcsim mounts each local datastore on every host). */
export async function rawDatastores(raw: RawSoap): Promise<Array<{ ref: string; name: string }>> {
  return (await raw.objects('Datastore', ['name'])).map((d) => ({ ref: d.ref.value, name: text(d.props.name) }));
}

/** Moves a VM with RelocateVM_Task as another vSphere user would (spec.host only: within its cluster). */
export async function rawRelocate(raw: RawSoap, vm: string, host: string): Promise<void> {
  await raw.runTask('RelocateVM_Task', { type: 'VirtualMachine', value: vm }, `<spec><host type="HostSystem">${host}</host></spec>`);
}
