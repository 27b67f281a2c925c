// The saved host list's entry, and the checks every entry passes before it is kept.

import { PolyvisorError } from '../../../shared/errors';
import type { HypervisorType } from '../../../shared/model';
import { OptionsRecord } from '../../../shared/contract-schemas';

export interface SavedServer {
  id: string;
  type: HypervisorType;
  name: string;
  host: string;
  port: number;
  username: string;
  autoConnect: boolean;
  rememberPassword: boolean;
  options: Record<string, string | number | boolean>;
  /** ISO-8601 */
  createdAt: string;
}

/** What a new entry needs; id and createdAt are assigned by the store. */
export type ServerFields = Omit<SavedServer, 'id' | 'createdAt'>;

/** Returns a message describing what is wrong, or null. */
export function serverFieldsProblem(s: Record<string, unknown>): string | null {
  // which types exist is the provider registry's business; here only the shape is checked
  if (typeof s.type !== 'string' || !/^[a-z][a-z0-9-]{0,63}$/.test(s.type)) return `Invalid server type ${JSON.stringify(s.type)}.`;
  if (typeof s.name !== 'string' || !s.name.trim() || s.name.length > 256) return 'The name must be 1–256 characters.';
  if (typeof s.host !== 'string' || !isHostLike(s.host)) return `Invalid address ${JSON.stringify(s.host)}.`;
  if (typeof s.port !== 'number' || !Number.isInteger(s.port) || s.port < 1 || s.port > 65535) {
    return `Invalid port ${JSON.stringify(s.port)}; expected 1–65535.`;
  }
  if (typeof s.username !== 'string' || s.username.length > 256) return 'The user name must be a string of at most 256 characters.';
  if (typeof s.autoConnect !== 'boolean') return 'autoConnect must be true or false.';
  if (typeof s.rememberPassword !== 'boolean') return 'rememberPassword must be true or false.';
  if (!isOptions(s.options)) return 'options must be an object of strings, numbers and booleans.';
  return null;
}

export function assertServerFields(s: Record<string, unknown>): void {
  const problem = serverFieldsProblem(s);
  if (problem) throw new PolyvisorError({ code: 'INVALID_INPUT', message: problem });
}

function isHostLike(host: string): boolean {
  // Addresses, names and (for Docker) socket paths; no spaces or control characters.
  return host.length > 0 && host.length <= 1024 && host === host.trim() && !/[\s\u0000-\u001f\u007f]/.test(host);
}

function isOptions(v: unknown): v is Record<string, string | number | boolean> {
  return OptionsRecord.safeParse(v).success;
}

export function sameEndpoint(a: Pick<SavedServer, 'type' | 'host' | 'port'>, b: Pick<SavedServer, 'type' | 'host' | 'port'>): boolean {
  return a.type === b.type && a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port;
}
