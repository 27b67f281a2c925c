// The provider's guests facet (issue 14): the New VM wizard's options and create
// task, the Properties dialog's read and configure, the delete confirmation's plan.

import type { ProviderGuests } from '../provider';
import { PolyvisorError } from '../../../../shared/errors';
import type { ActionContext } from './actions';
import { createVm } from './create-vm';
import { createOptions } from './guest-choices';
import { configureVm } from './guest-configure';
import { readProperties } from './guest-properties';
import { deletePlan } from './vm-removal';

function expectGuest(target: { kind: string }): void {
  if (target.kind !== 'vm' && target.kind !== 'template') {
    throw new PolyvisorError({ code: 'INVALID_INPUT', message: `A ${target.kind} has no VM settings.` });
  }
}

export function xapiGuests(ctx: ActionContext): ProviderGuests {
  return {
    createOptions: () => createOptions(ctx),
    create: (spec, task) => createVm(ctx, spec, task),
    properties: (target) => {
      expectGuest(target);
      return readProperties(ctx, target.nativeRef);
    },
    configure: (target, changes, task) => {
      expectGuest(target);
      return configureVm(ctx, target.nativeRef, changes, task);
    },
    deletePlan: (target) => {
      expectGuest(target);
      return deletePlan(ctx, target.nativeRef);
    },
  };
}
