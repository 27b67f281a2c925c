// Every method the simulator serves.
import type { SimCore } from '../core';
import { registerGenericMethods } from './generic';
import { registerHostMethods } from './host';
import { registerHostActionMethods } from './host-actions';
import { registerMessageMethods } from './messages';
import { registerObjectMethods } from './objects';
import { registerPoolMembershipMethods } from './pool-membership';
import { registerSessionMethods } from './session';
import { registerAccessMethods } from './access';
import { registerVmMethods } from './vm';
import { registerVmCloneMethods } from './vm-clone';
import { registerDeviceMethods } from './devices';
import { registerVbdPlugMethods } from './vbd-plug';
import { registerVmMemoryMethods } from './vm-memory';
import { registerVmProvisionMethods } from './vm-provision';
import { registerVmMigrateMethods } from './vm-migrate';
import { registerVmSnapshotMethods } from './vm-snapshots';
import { registerVmssMethods } from './vmss';
import { registerStorageMethods } from './storage';
import { registerNetworkMethods } from './networks';
import { registerBondMethods } from './bonds';

export function registerAllMethods(core: SimCore): void {
  registerGenericMethods(core); // first: the specific definitions below replace generic ones
  registerSessionMethods(core);
  registerVmMethods(core);
  registerAccessMethods(core);
  registerVmSnapshotMethods(core);
  registerVmCloneMethods(core);
  registerVmProvisionMethods(core);
  registerVmMemoryMethods(core);
  registerDeviceMethods(core);
  registerVbdPlugMethods(core);
  registerVmssMethods(core);
  registerHostMethods(core);
  registerHostActionMethods(core);
  registerVmMigrateMethods(core);
  registerPoolMembershipMethods(core);
  registerObjectMethods(core);
  registerMessageMethods(core);
  registerStorageMethods(core);
  registerNetworkMethods(core);
  registerBondMethods(core);
}
