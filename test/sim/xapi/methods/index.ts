// Every method the simulator serves.
import type { SimCore } from '../core';
import { registerGenericMethods } from './generic';
import { registerObjectMethods } from './objects';
import { registerSessionMethods } from './session';
import { registerVmMethods } from './vm';

export function registerAllMethods(core: SimCore): void {
  registerGenericMethods(core); // first: the specific definitions below replace generic ones
  registerSessionMethods(core);
  registerVmMethods(core);
  registerObjectMethods(core);
}
