// Which input field an INVALID_INPUT from the core is about: its `field`, or the argument
// path its message starts with ("schedules:create: policy.retain is too large …").
import type { ErrorInfo } from '../../../shared/errors';

/** The argument names that wrap a form's fields in the contract (see CHANNEL_ARG_NAMES). */
const WRAPPERS = new Set(['policy', 'changes', 'request', 'params', 'options']);

/** 'retain', 'frequency.days', 'name' …; null when the error names no field. */
export function errorField(error: ErrorInfo | null | undefined): string | null {
  if (!error || error.code !== 'INVALID_INPUT') return null;
  const path = error.field ?? /^[\w-]+:\w+: ([\w.]+) /.exec(error.message)?.[1];
  if (!path) return null;
  const parts = path.split('.');
  while (parts.length > 1 && WRAPPERS.has(parts[0])) parts.shift();
  return parts.join('.');
}

/** Which of a form's fields shows the error (the one it names, or a part of it); null: at the top of the form. */
export function errorPlace(error: ErrorInfo | null | undefined, fields: readonly string[]): string | null {
  const at = errorField(error);
  if (at === null) return null;
  return fields.find((field) => at === field || at.startsWith(`${field}.`)) ?? null;
}
