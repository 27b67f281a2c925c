// What every CLI command's parsing shares: the strict option parser, the options
// of commands that connect, where a password comes from, and usage errors.

import { parseArgs } from 'node:util';
import { PolyvisorError } from '../../shared/errors';

/** Where a password comes from: never argv. */
export type PasswordSource = { kind: 'stdin' } | { kind: 'env'; variable: string } | { kind: 'none' };

export interface ConnectOptions {
  /** restrict to one saved server (id or name) */
  server?: string;
  /** one-time password for a server that has none stored */
  password: PasswordSource;
}

export const CONNECT_OPTIONS = {
  server: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'password-env': { type: 'string' },
} as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

/** positionalCount: exact count, or -n for "at least n"; `what`: the arguments as usage names them ("<host>"). */
export function parse<T extends OptionSpec>(args: string[], options: T, positionalCount: number, what?: string) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usage((e as Error).message);
  }
  const n = parsed.positionals.length;
  if (positionalCount >= 0 && n !== positionalCount) {
    throw usage(positionalCount === 0 ? `Unexpected argument "${parsed.positionals[0]}"` : `Expected ${what ?? `${positionalCount} argument(s)`}, got ${n} argument(s)`);
  }
  if (positionalCount < 0 && n < -positionalCount) throw usage(`Expected at least ${what ?? `${-positionalCount} arguments`}, got ${n}`);
  return parsed;
}

export function connectOptions(values: { server?: string; 'password-stdin'?: boolean; 'password-env'?: string }): ConnectOptions {
  return { server: values.server, password: passwordSource(values) };
}

export function passwordSource(values: { 'password-stdin'?: boolean; 'password-env'?: string }): PasswordSource {
  if (values['password-stdin'] && values['password-env']) throw usage('Give --password-stdin or --password-env, not both');
  if (values['password-stdin']) return { kind: 'stdin' };
  if (values['password-env'] !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(values['password-env'])) throw usage('--password-env takes the NAME of an environment variable');
    return { kind: 'env', variable: values['password-env'] };
  }
  return { kind: 'none' };
}

export function usage(message: string): PolyvisorError {
  return new PolyvisorError({ code: 'INVALID_INPUT', message: `${message}\nRun "polyvisor help" for usage.` });
}
