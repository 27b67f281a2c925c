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
] as const;

const KNOWN = new Set<string>(KNOWN_SERVER_CODES);

/** The code's words, with its parameters where the words use them; null for a code not known here. */
export function serverCodeWords(t: TFunction, error: ErrorInfo | undefined): string | null {
  if (!error?.serverCode || !KNOWN.has(error.serverCode)) return null;
  const [first = '', second = '', third = ''] = error.serverParams ?? [];
  return t(`guests.serverCode.${error.serverCode}`, { first, second, third });
}
