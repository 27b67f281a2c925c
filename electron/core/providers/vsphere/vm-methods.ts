// The vim25 method behind each normalized action: the one table that actions
// call and that the inventory reads (a VM's disabledMethod list greys actions out).

import type { ActionName } from '../../../../shared/model';

export interface VimMethod {
  method: string;
  /** what the task is called in messages */
  label: string;
}

/** Actions on a VirtualMachine. */
export const VM_METHODS: Partial<Record<ActionName, VimMethod>> = {
  start: { method: 'PowerOnVM_Task', label: 'Power on' },
  resume: { method: 'PowerOnVM_Task', label: 'Resume' },
  force_shutdown: { method: 'PowerOffVM_Task', label: 'Power off' },
  shutdown: { method: 'ShutdownGuest', label: 'Shut down guest' },
  reboot: { method: 'RebootGuest', label: 'Restart guest' },
  force_reboot: { method: 'ResetVM_Task', label: 'Reset' },
  suspend: { method: 'SuspendVM_Task', label: 'Suspend' },
  snapshot_create: { method: 'CreateSnapshot_Task', label: 'Take snapshot' },
  // on the VM itself, snapshot_delete removes all of its snapshots
  snapshot_delete: { method: 'RemoveAllSnapshots_Task', label: 'Delete all snapshots' },
  // vcsim 0.24 has no MigrateVM_Task; RelocateVM_Task of a running VM is a vMotion in vSphere too (migration.ts)
  migrate: { method: 'RelocateVM_Task', label: 'Migrate' },
  // lifecycle (guest-actions.ts); listed here so a VM's disabledMethod greys them out
  clone: { method: 'CloneVM_Task', label: 'Clone' },
  to_template: { method: 'MarkAsTemplate', label: 'Convert to template' },
  to_vm: { method: 'MarkAsVirtualMachine', label: 'Convert to virtual machine' },
  destroy: { method: 'Destroy_Task', label: 'Delete' },
};

/** Actions on a VirtualMachineSnapshot (revert, edit, clone and template: snapshot-actions.ts). */
export const SNAPSHOT_METHODS: Partial<Record<ActionName, VimMethod>> = {
  snapshot_delete: { method: 'RemoveSnapshot_Task', label: 'Delete snapshot' },
};

/** Methods without the _Task suffix are over when they return. */
export const isTaskMethod = (method: string): boolean => method.endsWith('_Task');
