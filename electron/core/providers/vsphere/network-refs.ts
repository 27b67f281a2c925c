// A network node's moref with its type: vCenter's managed object ids say it.
import type { ManagedObjectReference } from './xml';

/** dvportgroup-N is a distributed port group, dvs-N a distributed switch, anything else a (standard) network. */
export function networkRef(value: string): ManagedObjectReference {
  if (value.startsWith('dvportgroup-')) return { type: 'DistributedVirtualPortgroup', value };
  if (value.startsWith('dvs-')) return { type: 'VmwareDistributedVirtualSwitch', value };
  return { type: 'Network', value };
}
