// VM power-state rules and allowed_operations, following xapi's
// Xapi_vm_lifecycle: which power states each operation accepts, and the
// operations a client may offer in each state.
import type { SimCore } from '../core';
import { XapiFailure } from '../failure';
import type { XapiRecord } from '../database';

export type PowerState = 'Halted' | 'Paused' | 'Running' | 'Suspended';

/** power states each operation is allowed from (xapi's allowed_power_states) */
export const ALLOWED_POWER_STATES: Record<string, PowerState[]> = {
  start: ['Halted'],
  start_on: ['Halted'],
  clean_shutdown: ['Running'],
  hard_shutdown: ['Paused', 'Running', 'Suspended'],
  clean_reboot: ['Running'],
  hard_reboot: ['Paused', 'Running'],
  suspend: ['Running'],
  resume: ['Suspended'],
  resume_on: ['Suspended'],
  pause: ['Running'],
  unpause: ['Paused'],
  snapshot: ['Halted', 'Paused', 'Running', 'Suspended'],
  checkpoint: ['Running', 'Suspended'],
  destroy: ['Halted'],
  clone: ['Halted', 'Suspended'],
  provision: ['Halted'],
  pool_migrate: ['Running'],
  migrate_send: ['Halted', 'Running', 'Suspended'],
  copy: ['Halted', 'Suspended'],
  make_into_template: ['Halted'],
  changing_memory_limits: ['Halted'],
  changing_static_range: ['Halted'],
  changing_dynamic_range: ['Halted', 'Running'],
  changing_VCPUs: ['Halted'],
  changing_VCPUs_live: ['Running'],
};

/** Operations xapi allows on a template (Xapi_vm_lifecycle: everything else is VM_IS_TEMPLATE). */
export const TEMPLATE_OPERATIONS = new Set([
  'changing_dynamic_range',
  'changing_static_range',
  'changing_memory_limits',
  'changing_VCPUs',
  'clone',
  'copy',
  'export',
  'provision',
  'destroy',
]);

const RUNNING_OPS = [
  'changing_dynamic_range',
  'migrate_send',
  'pool_migrate',
  'changing_VCPUs_live',
  'suspend',
  'hard_reboot',
  'hard_shutdown',
  'clean_reboot',
  'clean_shutdown',
  'pause',
  'checkpoint',
  'snapshot',
];
const HALTED_OPS = [
  'changing_dynamic_range',
  'changing_static_range',
  'changing_memory_limits',
  'changing_VCPUs',
  'make_into_template',
  'destroy',
  'export',
  'start_on',
  'start',
  'clone',
  'copy',
  'snapshot',
];
const PAUSED_OPS = ['unpause', 'hard_reboot', 'hard_shutdown', 'snapshot'];
const SUSPENDED_OPS = ['resume', 'resume_on', 'hard_shutdown', 'checkpoint', 'snapshot', 'clone', 'copy', 'export'];
const SNAPSHOT_OPS = ['revert', 'provision', 'destroy', 'export', 'clone', 'copy', 'create_template'];
const TEMPLATE_OPS = ['provision', 'export', 'clone', 'copy'];

export function vmAllowedOperations(vm: XapiRecord): string[] {
  if (Object.keys(vm.current_operations as object).length) return [];
  if (vm.is_control_domain) return ['changing_dynamic_range'];
  if (vm.is_a_snapshot) return SNAPSHOT_OPS.slice();
  if (vm.is_a_template) return vm.is_default_template ? TEMPLATE_OPS.slice() : [...TEMPLATE_OPS, 'destroy'];
  switch (vm.power_state as PowerState) {
    case 'Running':
      return RUNNING_OPS.slice();
    case 'Paused':
      return PAUSED_OPS.slice();
    case 'Suspended':
      return SUSPENDED_OPS.slice();
    default:
      return HALTED_OPS.slice();
  }
}

/** xapi's check order: template, control domain, operation in progress, power state. */
export function assertVmOperation(core: SimCore, ref: string, op: string, opts: { allowTemplate?: boolean } = {}): XapiRecord {
  const vm = core.db.get('VM', ref)!;
  if (vm.is_a_template && !opts.allowTemplate && !TEMPLATE_OPERATIONS.has(op)) throw new XapiFailure('VM_IS_TEMPLATE', ref, op);
  if (vm.is_control_domain) throw new XapiFailure('OPERATION_NOT_ALLOWED', `${op} is not allowed on a control domain`);
  if (Object.keys(vm.current_operations as object).length) throw new XapiFailure('OTHER_OPERATION_IN_PROGRESS', 'VM', ref);
  const allowed = ALLOWED_POWER_STATES[op];
  const actual = vm.power_state as PowerState;
  if (allowed && !allowed.includes(actual)) {
    throw new XapiFailure('VM_BAD_POWER_STATE', ref, allowed.map((s) => s.toLowerCase()).join(', '), actual.toLowerCase());
  }
  return vm;
}
