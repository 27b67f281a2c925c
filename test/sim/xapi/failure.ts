// An XAPI failure: the ErrorDescription array [CODE, ...params].
export class XapiFailure extends Error {
  readonly description: string[];
  constructor(code: string, ...params: string[]) {
    super(`${code}(${params.join(', ')})`);
    this.name = 'XapiFailure';
    this.description = [code, ...params];
  }
  get code(): string {
    return this.description[0];
  }
}

/**
 * Errors xapi raises from its common call path for any message, whatever the
 * message's own error list says: session and handle checks, message-level
 * checks, and the allowed-operations check that guards every object operation
 * (Xapi_vm_lifecycle / Xapi_vdi.check_operation_error).
 */
export const GENERIC_ERRORS = [
  'SESSION_INVALID',
  'HANDLE_INVALID',
  'MESSAGE_METHOD_UNKNOWN',
  'MESSAGE_PARAMETER_COUNT_MISMATCH',
  'FIELD_TYPE_ERROR',
  'OPERATION_NOT_ALLOWED',
  'OTHER_OPERATION_IN_PROGRESS',
  'VM_BAD_POWER_STATE',
  'VM_IS_TEMPLATE',
  'VDI_IN_USE',
  'MAP_DUPLICATE_KEY',
  'UUID_INVALID',
  'INTERNAL_ERROR',
  // a message the data model marks removed (its lifecycle), whatever it is
  'MESSAGE_REMOVED',
  // Rbac.check guards every message with a session
  'RBAC_PERMISSION_DENIED',
] as const;

/**
 * Errors real xapi raises for a message although the data model does not list
 * them for it (checked by reference.test.ts).
 */
export const UNLISTED_ERRORS: Record<string, readonly string[]> = {
  // Xapi_pool.pre_join_checks (Api_errors names; the data model lists only JOINING_HOST_CANNOT_CONTAIN_SHARED_SRS):
  // the joining host's state, then the master's answers (its login, HA, product version, CPUs)
  'pool.join': [
    'JOINING_HOST_CANNOT_BE_MASTER_OF_OTHER_HOSTS',
    'JOINING_HOST_CANNOT_HAVE_RUNNING_VMS',
    'JOINING_HOST_CANNOT_HAVE_VMS_WITH_CURRENT_OPERATIONS',
    'JOINING_HOST_CONNECTION_FAILED',
    'HA_IS_ENABLED',
    'POOL_JOINING_HOST_MUST_HAVE_SAME_PRODUCT_VERSION',
    'HOSTS_NOT_HOMOGENEOUS',
    'SESSION_AUTHENTICATION_FAILED',
  ],
  // Xapi_pool.eject: HA on; Message_forwarding sends it to the member (HOST_OFFLINE while it is down, CANNOT_CONTACT_HOST when unreachable)
  'pool.eject': ['HA_IS_ENABLED', 'HOST_OFFLINE', 'CANNOT_CONTACT_HOST'],
  // users and access (Api_errors; the data model lists no errors for these messages)
  'pool.enable_external_auth': ['POOL_AUTH_ALREADY_ENABLED', 'AUTH_UNKNOWN_TYPE', 'POOL_AUTH_ENABLE_FAILED', 'POOL_AUTH_ENABLE_FAILED_WRONG_CREDENTIALS', 'POOL_AUTH_ENABLE_FAILED_DOMAIN_LOOKUP_FAILED'],
  'auth.get_subject_identifier': ['AUTH_IS_DISABLED', 'SUBJECT_CANNOT_BE_RESOLVED'],
  'auth.get_subject_information_from_identifier': ['AUTH_IS_DISABLED', 'SUBJECT_CANNOT_BE_RESOLVED'],
  'auth.get_group_membership': ['AUTH_IS_DISABLED', 'SUBJECT_CANNOT_BE_RESOLVED'],
  'subject.create': ['AUTH_IS_DISABLED', 'SUBJECT_ALREADY_EXISTS'],
  'subject.add_to_roles': ['ROLE_ALREADY_EXISTS'],
  'subject.remove_from_roles': ['ROLE_NOT_FOUND'],
  // Xapi_event.from: a token that is not of xapi's form
  'event.from': ['EVENT_FROM_TOKEN_PARSE_FAILURE'],
  // Xapi_vm_helpers.assert_can_boot_here: the chosen host is disabled
  'VM.start_on': ['HOST_DISABLED'],
  'VM.resume_on': ['HOST_DISABLED'],
  // Message_forwarding.VM.pool_migrate runs Xapi_vm_helpers.assert_can_boot_here on the target
  'VM.pool_migrate': ['HOST_NOT_LIVE', 'HOST_DISABLED', 'VM_REQUIRES_SR', 'HOST_NOT_ENOUGH_FREE_MEMORY'],
  // Xapi_vm_migrate.assert_can_migrate: the power states of migrate_send, then assert_can_boot_here on the
  // destination host (through the remote pool's API for a cross-pool move: CANNOT_CONTACT_HOST when it is unreachable)
  'VM.assert_can_migrate': ['HOST_NOT_LIVE', 'HOST_DISABLED', 'VM_REQUIRES_SR', 'HOST_NOT_ENOUGH_FREE_MEMORY', 'VM_REQUIRES_NETWORK', 'INVALID_VALUE', 'CANNOT_CONTACT_HOST'],
  'VM.migrate_send': ['HOST_NOT_LIVE', 'HOST_DISABLED', 'VM_REQUIRES_SR', 'HOST_NOT_ENOUGH_FREE_MEMORY', 'VM_REQUIRES_NETWORK', 'INVALID_VALUE', 'CANNOT_CONTACT_HOST'],
  // Message_forwarding: a message that runs on the host itself fails with HOST_OFFLINE [host] while it is down
  'host.disable': ['HOST_OFFLINE'],
  'host.enable': ['HOST_OFFLINE'],
  'host.migrate_receive': ['HOST_OFFLINE'],
  // Xapi_host.assert_can_evacuate: the plan's errors as one parameter "code,params|code,params"
  'host.assert_can_evacuate': ['CANNOT_EVACUATE_HOST'],
  // Xapi_host.evacuate raises the first VM's reason from the evacuation plan
  'host.evacuate': ['HOST_OFFLINE', 'NO_HOSTS_AVAILABLE', 'HOST_NOT_ENOUGH_FREE_MEMORY', 'VM_REQUIRES_SR', 'HOST_DISABLED', 'HOST_NOT_LIVE'],
  // the data model's text: "can only be called if there are no currently running VMs on the host and it is
  // disabled" — Xapi_host_helpers.valid_operations (HOST_NOT_DISABLED []) and assert_bacon_mode (HOST_IN_USE [host, "vm", vm])
  'host.reboot': ['HOST_OFFLINE', 'HOST_NOT_DISABLED', 'HOST_IN_USE'],
  'host.shutdown': ['HOST_OFFLINE', 'HOST_NOT_DISABLED', 'HOST_IN_USE'],
  // Xapi_host_helpers.valid_operations for power_on: the host must be down and have a power-on mode
  'host.power_on': ['HOST_IS_LIVE', 'HOST_POWER_ON_MODE_DISABLED'],
  // Xapi_vmss: every call checks the VMSS licence feature (Pool_features.assert_enabled);
  // Map_check and assert_retained_snapshots answer INVALID_VALUE ["schedule:<key>" | "retained_snapshots", value]
  'VMSS.create': ['INVALID_VALUE', 'LICENCE_RESTRICTION'],
  'VMSS.destroy': ['VMSS_HAS_VM', 'LICENCE_RESTRICTION'],
  'VMSS.set_frequency': ['INVALID_VALUE', 'LICENCE_RESTRICTION'],
  'VMSS.set_schedule': ['INVALID_VALUE', 'LICENCE_RESTRICTION'],
  'VMSS.add_to_schedule': ['INVALID_VALUE', 'LICENCE_RESTRICTION'],
  'VMSS.remove_from_schedule': ['LICENCE_RESTRICTION'],
  'VMSS.set_retained_snapshots': ['INVALID_VALUE', 'LICENCE_RESTRICTION'],
  // set_type to snapshot_with_quiesce: the VSS feature, then Xapi_vm_helpers.assert_vm_supports_quiesce_snapshot per VM
  'VMSS.set_type': ['LICENCE_RESTRICTION', 'VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED', 'VDI_ON_BOOT_MODE_INCOMPATIBLE_WITH_OPERATION'],
  'VMSS.set_last_run_time': ['LICENCE_RESTRICTION'],
  'VMSS.snapshot_now': ['LICENCE_RESTRICTION'],
  // Xapi_vm.set_snapshot_schedule: a dangling ref or a control domain is INVALID_VALUE [ref]
  'VM.set_snapshot_schedule': ['INVALID_VALUE', 'LICENCE_RESTRICTION', 'VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED', 'VDI_ON_BOOT_MODE_INCOMPATIBLE_WITH_OPERATION'],
  // Vm_memory_constraints.assert_valid_for_current_context: the constraint in words (issue 14)
  'VM.set_memory_limits': ['MEMORY_CONSTRAINT_VIOLATION'],
  'VM.set_memory_static_range': ['MEMORY_CONSTRAINT_VIOLATION'],
  'VM.set_memory_dynamic_range': ['MEMORY_CONSTRAINT_VIOLATION'],
  // Xapi_vm.set_VCPUs_*: INVALID_VALUE ["VCPU values must satisfy: …", value]
  'VM.set_VCPUs_max': ['INVALID_VALUE'],
  'VM.set_VCPUs_at_startup': ['INVALID_VALUE'],
  'VM.set_VCPUs_number_live': ['INVALID_VALUE'],
  // the SR's backend refuses a disk it has no room for; Xapi_vbd.create and Xapi_vif.create check the device position
  'VDI.create': ['SR_FULL', 'INVALID_VALUE'],
  'VBD.create': ['DEVICE_ALREADY_EXISTS', 'VBD_CDS_MUST_BE_READONLY', 'VBD_NOT_REMOVABLE_MEDIA'],
  'VIF.create': ['DEVICE_ALREADY_EXISTS'],
  // the SR backend's own failures (SM's VDISize 79: shrinking not allowed; SRNoSpace 44)
  'VDI.resize': ['SR_BACKEND_FAILURE_79', 'SR_BACKEND_FAILURE_44'],
  // Xapi_sr.scan goes to the storage manager through a plugged PBD: none plugged is SR_HAS_NO_PBDS [sr] (issue 16)
  'SR.scan': ['SR_HAS_NO_PBDS'],
  // storage motion of a disk: only one a running VM has attached moves live; the target SR needs the room
  'VDI.pool_migrate': ['VDI_NEEDS_VM_FOR_MIGRATE', 'SR_FULL'],
  'VDI.copy': ['SR_FULL'],
  // networks (issue 16), Api_errors names: Xapi_vlan.create's checks of the tagged PIF, Xapi_network.destroy's
  // assert_network_is_not_in_use, Xapi_vif's plug/unplug of a device already in that state
  'VLAN.create': ['VLAN_TAG_INVALID', 'PIF_IS_VLAN', 'PIF_VLAN_EXISTS'],
  'pool.create_VLAN_from_PIF': ['PIF_IS_VLAN', 'PIF_VLAN_EXISTS'],
  // Xapi_bond.create's checks of its members (the data model lists no errors for it)
  'Bond.create': ['PIF_BOND_NEEDS_MORE_MEMBERS', 'PIF_CANNOT_BOND_CROSS_HOST', 'PIF_ALREADY_BONDED', 'PIF_IS_VLAN'],
  'network.destroy': ['NETWORK_CONTAINS_VIF', 'NETWORK_CONTAINS_PIF'],
  'VIF.plug': ['DEVICE_ALREADY_ATTACHED'],
  'VIF.unplug': ['DEVICE_ALREADY_DETACHED'],
  // a guest's disks (issue 16): Xapi_vbd.plug of an attached VBD, Xapi_vbd.unplug of a VBD marked not unpluggable,
  // Xapi_vdi.resize_online on a driver without VDI_RESIZE_ONLINE and the SM backend's own refusals
  'VBD.plug': ['DEVICE_ALREADY_ATTACHED'],
  'VBD.unplug': ['VBD_NOT_UNPLUGGABLE'],
  'VDI.resize_online': ['SR_OPERATION_NOT_SUPPORTED', 'SR_BACKEND_FAILURE_79', 'SR_BACKEND_FAILURE_44'],
};
