// Which host can take a VM and what a host allows now, read from the hosts' own
// state (runtime.connectionState, runtime.powerState, runtime.inMaintenanceMode,
// the datacenter holding them). These are Polyvisor's checks, not the server's:
// vCenter's own (VirtualMachineProvisioningChecker.CheckMigrate_Task,
// QueryVMotionCompatibility) are not in vcsim 0.24, so a reason here never
// carries a serverCode; a fault the server raises when the move runs does.

import type { ErrorInfo } from '../../../../shared/errors';
import type { ActionName } from '../../../../shared/model';
import type { ManagedObjectReference } from './xml';

export interface HostFacts {
  ref: string;
  name: string;
  /** connected | disconnected | notResponding */
  connectionState: string;
  /** poweredOn | poweredOff | standBy | unknown */
  powerState: string;
  inMaintenance: boolean;
  /** the ComputeResource (standalone host) or ClusterComputeResource holding the host */
  computeResource: ManagedObjectReference | null;
  /** the datacenter's moref value */
  datacenter: string | null;
  /** HostSystem.disabledMethod: methods the server refuses now */
  disabledMethods: ReadonlySet<string>;
}

export interface VmPlacement {
  ref: string;
  name: string;
  /** poweredOn | poweredOff | suspended */
  powerState: string;
  /** runtime.host */
  host: string | null;
  datacenter: string | null;
}

/** The vim25 method behind each host action, and what it does to a host (for "cannot …" sentences). */
export const HOST_METHODS: Record<'maintenance_enter' | 'maintenance_exit' | 'host_reboot' | 'host_shutdown' | 'host_power_on', { method: string; verb: string }> = {
  maintenance_enter: { method: 'EnterMaintenanceMode_Task', verb: 'put into Maintenance Mode' },
  maintenance_exit: { method: 'ExitMaintenanceMode_Task', verb: 'take out of Maintenance Mode' },
  host_reboot: { method: 'RebootHost_Task', verb: 'restart' },
  host_shutdown: { method: 'ShutdownHost_Task', verb: 'shut down' },
  host_power_on: { method: 'PowerUpHostFromStandBy_Task', verb: 'power on from standby' },
};

const refused = (message: string): ErrorInfo => ({ code: 'INVALID_INPUT', message });

/** Why `target` cannot take a VM of datacenter `vmDatacenter` now; null when it can. */
export function targetRefusal(target: HostFacts, vmDatacenter: string | null): ErrorInfo | null {
  if (target.connectionState !== 'connected') {
    return refused(`${target.name} is not connected to vCenter (its connection state is ${target.connectionState || 'unknown'}).`);
  }
  if (target.powerState !== 'poweredOn') return refused(`${target.name} is not powered on (its power state is ${target.powerState || 'unknown'}).`);
  if (target.inMaintenance) return refused(`${target.name} is in Maintenance Mode.`);
  // a move to another datacenter needs a folder and network mapping Polyvisor does not ask for
  if (vmDatacenter !== null && target.datacenter !== vmDatacenter) return refused(`${target.name} is in another datacenter.`);
  return null;
}

/** Same cluster (or the same standalone host's compute resource): the VM keeps its resource pool. */
export function sameComputeResource(a: HostFacts | undefined, b: HostFacts): boolean {
  return !!a?.computeResource && !!b.computeResource && a.computeResource.value === b.computeResource.value;
}

/** What a host allows now, as vSphere would take it. */
export function hostActions(host: HostFacts): ActionName[] {
  const out: ActionName[] = [];
  if (host.powerState === 'standBy') out.push('host_power_on');
  else if (host.connectionState === 'connected' && host.powerState === 'poweredOn') {
    out.push(host.inMaintenance ? 'maintenance_exit' : 'maintenance_enter');
    // the running VMs go to the other hosts of its cluster: a standalone host has none
    if (!host.inMaintenance && host.computeResource?.type === 'ClusterComputeResource') out.push('evacuate');
    // outside Maintenance Mode only with force (RebootHost_Task/ShutdownHost_Task `force`): the action checks that
    out.push('host_reboot', 'host_shutdown');
  }
  return out.filter((a) => {
    const method = HOST_METHODS[a as keyof typeof HOST_METHODS]?.method;
    // evacuate is a series of RelocateVM_Task calls: the host itself is not asked
    return !method || !host.disabledMethods.has(method);
  });
}
