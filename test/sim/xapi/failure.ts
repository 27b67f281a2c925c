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
