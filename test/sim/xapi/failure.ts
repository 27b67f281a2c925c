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
] as const;

/**
 * Errors real xapi raises for a message although the data model does not list
 * them for it (checked by reference.test.ts).
 */
export const UNLISTED_ERRORS: Record<string, readonly string[]> = {
  // Xapi_event.from: a token that is not of xapi's form
  'event.from': ['EVENT_FROM_TOKEN_PARSE_FAILURE'],
  // Xapi_vm_helpers.assert_can_boot_here: the chosen host is disabled
  'VM.start_on': ['HOST_DISABLED'],
  'VM.resume_on': ['HOST_DISABLED'],
};
