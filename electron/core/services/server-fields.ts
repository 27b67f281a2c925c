// A saved server's fields checked against its provider's descriptor: required
// fields, ranges, patterns, choices, and no option the provider does not declare.
// Values that arrive as text (the CLI's --option key=value) become the declared type.

import type { ServerDraft } from '../../../shared/contract';
import {
  describeFieldProblem,
  fieldProblem,
  fieldVisible,
  STANDARD_FIELDS,
  type ConnectionField,
  type FieldValue,
  type FieldValues,
  type ProviderDescriptor,
} from '../../../shared/descriptor';
import { PolyvisorError } from '../../../shared/errors';
import type { ProviderRegistry } from '../providers/registry';

/** Option values in the declared type: "8006" → 8006, "true" → true. */
export function coerceOptions(descriptor: ProviderDescriptor, options: Record<string, FieldValue>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(options)) {
    const field = descriptor.fields.find((f) => f.key === key);
    out[key] = field ? coerce(field, value) : value;
  }
  return out;
}

function coerce(field: ConnectionField, value: FieldValue): FieldValue {
  if (typeof value !== 'string') return value;
  if (field.type === 'integer' && /^-?\d+$/.test(value.trim())) return Number(value);
  if (field.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/**
 * Checks a server's fields (host, port, username and options) against the descriptor;
 * INVALID_INPUT naming the first field that does not fit. Hidden fields are not checked.
 */
export function checkServerFields(
  descriptor: ProviderDescriptor,
  server: { host: string; port: number; username: string; options: Record<string, FieldValue> },
): void {
  const declared = new Set(descriptor.fields.map((f) => f.key));
  const unknown = Object.keys(server.options).filter((k) => !declared.has(k) || (STANDARD_FIELDS as readonly string[]).includes(k));
  if (unknown.length) {
    const known = descriptor.fields.filter((f) => !(STANDARD_FIELDS as readonly string[]).includes(f.key)).map((f) => f.key);
    throw invalid(
      `${descriptor.displayName.en} servers have no option ${unknown.map((k) => JSON.stringify(k)).join(', ')}; the options are: ${known.join(', ') || 'none'}.`,
    );
  }
  const values: FieldValues = { ...server.options, host: server.host, port: server.port, username: server.username };
  for (const field of descriptor.fields) {
    if (field.key === 'password' || !fieldVisible(field, values, descriptor.fields)) continue;
    const problem = fieldProblem(field, values[field.key]);
    if (problem) throw invalid(describeFieldProblem(field, problem), field.key);
  }
}

/** The fields of a new server from a draft: defaults and hidden values from the descriptor. */
export function fieldsFromDraft(descriptor: ProviderDescriptor, draft: ServerDraft): { host: string; port: number; username: string; options: Record<string, FieldValue> } {
  const options = coerceOptions(descriptor, { ...(draft.options ?? {}) });
  const values: FieldValues = { ...options, host: draft.host, port: draft.port, username: draft.username };
  const standard = (key: 'host' | 'port' | 'username'): FieldValue | undefined => {
    const field = descriptor.fields.find((f) => f.key === key);
    // a hidden field is not the user's to fill: its declared hidden value, else nothing (never its visible default)
    if (field && !fieldVisible(field, values, descriptor.fields)) return field.valueWhenHidden ?? (key === 'port' ? descriptor.defaultPort : '');
    return values[key];
  };
  const host = standard('host');
  const port = standard('port');
  const username = standard('username');
  return {
    host: typeof host === 'string' ? host.trim() : '',
    port: typeof port === 'number' ? port : descriptor.defaultPort,
    username: typeof username === 'string' ? username.trim() : '',
    options,
  };
}

/** Whether the provider's form shows a password for this server (Docker: only over SSH). */
export function passwordFieldShown(registry: ProviderRegistry, server: { type: string; host: string; port: number; username: string; options: Record<string, FieldValue> }): boolean {
  const descriptor = registry.get(server.type)?.descriptor;
  const field = descriptor?.fields.find((f) => f.key === 'password');
  if (!descriptor || !field) return false;
  return fieldVisible(field, { ...server.options, host: server.host, port: server.port, username: server.username }, descriptor.fields);
}

function invalid(message: string, field?: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message, ...(field ? { field } : {}) });
}
