// What the provider asks the PropertyCollector for: the whole inventory tree
// from the root folder (datacenters, their host and VM folders, clusters and
// standalone compute resources, hosts, VMs and templates, vApps), and the few
// properties the normalized model needs.

import { DATASTORE_PATHS } from './datastores';
import { NETWORK_PATHS, PORTGROUP_PATHS, SWITCH_PATHS } from './network-nodes';
import type { FilterSpec } from './property-collector';
import type { ManagedObjectReference } from './xml';

export const VM_PATHS = [
  'name',
  'parent',
  'runtime.powerState',
  'runtime.host',
  'config.template',
  'config.uuid',
  'config.hardware.memoryMB',
  'config.hardware.numCPU',
  'guest.guestFullName',
  'guest.ipAddress',
  'guest.toolsRunningStatus',
  'summary.config.guestFullName',
  'snapshot',
  'disabledMethod',
  // issue 16: tags in the polyvisor.tags custom field (custom-tags.ts)
  'customValue',
] as const;

export const HOST_PATHS = [
  'name',
  'parent',
  'runtime.connectionState',
  'runtime.powerState',
  'runtime.inMaintenanceMode',
  'summary.hardware.cpuModel',
  'summary.hardware.numCpuCores',
  'summary.hardware.memorySize',
  'summary.config.product.fullName',
  'disabledMethod',
  'customValue',
] as const;

let datastoreProps: readonly string[] | undefined;
const datastorePaths = () => (datastoreProps ??= [...DATASTORE_PATHS, 'customValue']);

export const INVENTORY_PROPS: Record<string, readonly string[]> = {
  Folder: ['name', 'parent'],
  // customValue: tags in the polyvisor.tags custom field, on every entity of the tree (custom-tags.ts)
  Datacenter: ['name', 'parent', 'customValue'],
  // also matches ClusterComputeResource (a subtype); the object's type tells them apart
  ComputeResource: ['name', 'parent', 'customValue'],
  HostSystem: HOST_PATHS,
  VirtualMachine: VM_PATHS,
  // issue 16: storage in the tree; read when asked, as datastores.ts may still be loading (it reaches this module through disk-files.ts)
  get Datastore() {
    return datastorePaths();
  },
  // issue 16: networks, distributed switches and their port groups in the tree
  Network: [...NETWORK_PATHS, 'customValue'],
  DistributedVirtualPortgroup: [...PORTGROUP_PATHS, 'customValue'],
  // vCenter's switches are VmwareDistributedVirtualSwitch, vcsim 0.24's the base DistributedVirtualSwitch
  DistributedVirtualSwitch: [...SWITCH_PATHS, 'customValue'],
  VmwareDistributedVirtualSwitch: [...SWITCH_PATHS, 'customValue'],
};

export function inventorySpec(rootFolder: ManagedObjectReference): FilterSpec {
  const fromFolder = ['folderChildren', 'datacenterHosts', 'datacenterVms', 'datacenterDatastores', 'datacenterNetworks', 'computeHosts', 'vappVms'];
  return {
    root: rootFolder,
    propSet: Object.fromEntries(Object.entries(INVENTORY_PROPS).map(([type, paths]) => [type, [...paths]])),
    traversal: [
      { name: 'folderChildren', type: 'Folder', path: 'childEntity', selectSet: fromFolder },
      { name: 'datacenterHosts', type: 'Datacenter', path: 'hostFolder', selectSet: ['folderChildren'] },
      { name: 'datacenterVms', type: 'Datacenter', path: 'vmFolder', selectSet: ['folderChildren'] },
      { name: 'datacenterDatastores', type: 'Datacenter', path: 'datastoreFolder', selectSet: ['folderChildren'] },
      { name: 'datacenterNetworks', type: 'Datacenter', path: 'networkFolder', selectSet: ['folderChildren'] },
      { name: 'computeHosts', type: 'ComputeResource', path: 'host', selectSet: [] },
      { name: 'vappVms', type: 'VirtualApp', path: 'vm', selectSet: [] },
    ],
  };
}
