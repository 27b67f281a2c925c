// Checks for arguments that arrive from the renderer (or a WebSocket): untrusted until checked.

import { PolyvisorError } from '../../../shared/errors';

export function requireString(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0) throw invalid(`${name} must be a non-empty string.`);
  return v;
}

export function optionalString(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`${name} must be a string.`);
  return v;
}

export function requireObject(v: unknown, name: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid(`${name} must be an object.`);
  return v as Record<string, unknown>;
}

export function invalid(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message });
}
