// Every method the simulator serves.
import type { SimCore } from '../core';
import { registerGenericMethods } from './generic';
import { registerHostMethods } from './host';
import { registerObjectMethods } from './objects';
import { registerSessionMethods } from './session';
import { registerVmMethods } from './vm';
import { registerVmCloneMethods } from './vm-clone';
import { registerVmSnapshotMethods } from './vm-snapshots';
import { registerVmssMethods } from './vmss';

export function registerAllMethods(core: SimCore): void {
  registerGenericMethods(core); // first: the specific definitions below replace generic ones
  registerSessionMethods(core);
  registerVmMethods(core);
  registerVmSnapshotMethods(core);
  registerVmCloneMethods(core);
  registerVmssMethods(core);
  registerHostMethods(core);
  registerObjectMethods(core);
}
