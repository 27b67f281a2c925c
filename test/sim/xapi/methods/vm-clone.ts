// VM.clone as xapi does it (Xapi_vm.clone): copy-on-write disks; a clone of a
// snapshot is a halted template (XenCenter's "Create template from snapshot");
// provisioning that template turns it into a VM (XenCenter's "New VM from
// snapshot" clones, then provisions: vm-provision.ts).
import type { SimCore } from '../core';
import { XapiFailure } from '../failure';
import { copyVm } from './vm-copies';
import { halt, refreshVm, SESSION, VM, vmOp } from './vm';
import { assertVmOperation } from './vm-rules';

const CLONE_ERRORS = ['VM_BAD_POWER_STATE', 'SR_FULL', 'OPERATION_NOT_ALLOWED', 'LICENCE_RESTRICTION'];

export function registerVmCloneMethods(core: SimCore): void {
  core.register(
    vmOp(
      'VM.clone',
      'clone',
      [SESSION, VM, ['string', 'new_name']],
      CLONE_ERRORS,
      ({ core: c }, vm, args) => {
        const copy = copyVm(c, vm, 'clone', { name: args[2] as string });
        // a clone of a checkpoint does not keep its memory
        if (c.db.get('VM', vm)!.is_a_snapshot && c.db.get('VM', copy)!.power_state !== 'Halted') halt(c, copy);
        refreshVm(c, copy);
        return copy;
      },
      ({ core: c }, vm) => void assertVmOperation(c, vm, 'clone', { allowTemplate: true }),
    ),
  );
  registerRemovedMessages(core);
}

/** Messages the data model marks removed answer MESSAGE_REMOVED (VM.snapshot_with_quiesce since XenServer 8.1 "quebec"). */
function registerRemovedMessages(core: SimCore): void {
  for (const c of core.model.classes.values()) {
    for (const msg of c.messages.values()) {
      const lifecycle = (msg as { lifecycle?: { state?: string } }).lifecycle;
      if (lifecycle?.state !== 'Removed_s' || msg.implicit) continue;
      const name = `${c.name}.${msg.name}`;
      core.register({
        name,
        params: msg.params.map((p) => [p.type, p.name] as const),
        errors: ['MESSAGE_REMOVED'],
        run: () => {
          throw new XapiFailure('MESSAGE_REMOVED');
        },
      });
    }
  }
}
