// The ProviderGuests facet of a vSphere connection (issue 14): each call works on
// the session current when it is made. Clone, to_template, to_vm and destroy go
// through runAction (guest-actions.ts).

import { PolyvisorError } from '../../../../shared/errors';
import type { ProviderGuests } from '../provider';
import { createGuest } from './create-vm';
import { deletePlan } from './delete-plan';
import type { GuestActionContext } from './guest-actions';
import { createOptions } from './guest-choices';
import { configureGuest } from './guest-configure';
import { guestProperties } from './guest-properties';

export type GuestsContext = GuestActionContext & { log?: (message: string) => void };

function guestRef(target: { nativeRef: string; kind: string }): string {
  if (target.kind !== 'vm' && target.kind !== 'template') {
    throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'nodeIds', message: `A ${target.kind} is not a virtual machine or template.` });
  }
  return target.nativeRef;
}

export function vsphereGuests(current: () => GuestsContext): ProviderGuests {
  return {
    createOptions: () => createOptions(current()),
    create: (spec, task) => createGuest(current(), spec, task),
    properties: (target) => guestProperties(current(), guestRef(target)),
    configure: (target, changes, task) => configureGuest(current(), guestRef(target), changes, task),
    deletePlan: (target) => deletePlan(current().client, guestRef(target)),
  };
}
