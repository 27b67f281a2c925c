// Server codes a guest change may come back with, in the user's words (the code itself
// is shown beside them). A code not listed keeps the server's own message.
import type { TFunction } from 'i18next';
import type { ErrorInfo } from '../../../shared/errors';

export const KNOWN_SERVER_CODES = [
  'MEMORY_CONSTRAINT_VIOLATION',
  'VM_BAD_POWER_STATE',
  'OPERATION_NOT_ALLOWED',
  'HOST_NOT_ENOUGH_FREE_MEMORY',
  'SR_FULL',
  'HANDLE_INVALID',
  // the devices a guest's create, CD and delete touch (XAPI's codes and parameters as xenapi.json / xapi raise them)
  'VBD_NOT_EMPTY',
  'VBD_IS_EMPTY',
  'VBD_NOT_REMOVABLE_MEDIA',
  'VBD_CDS_MUST_BE_READONLY',
  'DEVICE_ALREADY_EXISTS',
  'UUID_INVALID',
  'VDI_IN_USE',
  'OTHER_OPERATION_IN_PROGRESS',
  'VM_IS_TEMPLATE',
  'INVALID_VALUE',
  // the SR backend's failures a disk's create or resize meets (SM's VDISize and SRNoSpace)
  'SR_BACKEND_FAILURE_79',
  'SR_BACKEND_FAILURE_44',
  // starting the new VM
  'VM_REQUIRES_SR',
  'VM_REQUIRES_NETWORK',
  'NO_HOSTS_AVAILABLE',
  'LICENCE_RESTRICTION',
] as const;

const KNOWN = new Set<string>(KNOWN_SERVER_CODES);

/** The code's words, with its parameters where the words use them; null for a code not known here. */
export function serverCodeWords(t: TFunction, error: ErrorInfo | undefined): string | null {
  if (!error?.serverCode || !KNOWN.has(error.serverCode)) return null;
  const [first = '', second = '', third = ''] = error.serverParams ?? [];
  return t(`guests.serverCode.${error.serverCode}`, { first, second, third });
}
