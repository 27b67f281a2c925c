// argv of `polyvisor users list|add|remove|role|logout`, `domain join|leave` and `whoami` → one typed command (pure).

import { CONNECT_OPTIONS, connectOptions, parse, passwordSource, usage, type ConnectOptions, type PasswordSource } from './arg-helpers';

export type AccessCommand =
  | ({ name: 'users list'; json: boolean } & ConnectOptions)
  | ({ name: 'users add'; subject: string; role: string } & ConnectOptions)
  | ({ name: 'users remove' | 'users logout'; subject: string } & ConnectOptions)
  | ({ name: 'users role'; subject: string; role: string } & ConnectOptions)
  | ({ name: 'domain join'; domain: string; user: string; domainPassword: PasswordSource } & ConnectOptions)
  | ({ name: 'domain leave' } & ConnectOptions)
  | ({ name: 'whoami'; json: boolean } & ConnectOptions);

export const ACCESS_USAGE = `Users and access (XAPI pools joined to Active Directory; <subject> = DOMAIN\\name as listed, or its id):
  users list [--server S] [--json]          who may log in, with their roles and whether they are logged in now
  users add <DOMAIN\\name> --role R          lets a domain user or group log in with the role (pool-admin … read-only)
  users role <subject> <role>               gives the user or group exactly this role
  users remove <subject>                    it may no longer log in
  users logout <subject>                    ends its open sessions
  domain join <domain> --user U (--domain-password-stdin | --domain-password-env VAR)
                                            joins the pool to the domain (the password goes to the server once, never kept)
  domain leave                              leaves it: only the local root account can log in then
  whoami [--server S] [--json]              the logged-in user on each server, its roles and what it may not do
  access list | grant <subject> --role R | revoke <subject>   the same as users list | add | remove`;

const JSON_FLAG = { json: { type: 'boolean' } } as const;

export function parseUsers(sub: string | undefined, args: string[]): AccessCommand {
  switch (sub) {
    case 'list': {
      const { values } = parse(args, { ...CONNECT_OPTIONS, ...JSON_FLAG }, 0);
      return { name: 'users list', json: !!values.json, ...connectOptions(values) };
    }
    case 'add': {
      const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, role: { type: 'string' } }, 1, '<DOMAIN\\name>');
      if (!values.role?.trim()) throw usage('users add: --role <role> is required (pool-admin, pool-operator, vm-power-admin, vm-admin, vm-operator, read-only)');
      return { name: 'users add', subject: positionals[0]!, role: values.role.trim(), ...connectOptions(values) };
    }
    case 'role': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 2, '<subject> <role>');
      return { name: 'users role', subject: positionals[0]!, role: positionals[1]!, ...connectOptions(values) };
    }
    case 'remove':
    case 'logout': {
      const { values, positionals } = parse(args, CONNECT_OPTIONS, 1, '<subject>');
      return { name: sub === 'remove' ? 'users remove' : 'users logout', subject: positionals[0]!, ...connectOptions(values) };
    }
    default:
      throw usage(sub ? `Unknown command "users ${sub}"` : 'users: expected list, add, role, remove or logout');
  }
}

export function parseDomain(sub: string | undefined, args: string[]): AccessCommand {
  if (sub === 'leave') {
    const { values } = parse(args, CONNECT_OPTIONS, 0);
    return { name: 'domain leave', ...connectOptions(values) };
  }
  if (sub !== 'join') throw usage(sub ? `Unknown command "domain ${sub}"` : 'domain: expected join or leave');
  const { values, positionals } = parse(args, { ...CONNECT_OPTIONS, user: { type: 'string' }, 'domain-password-stdin': { type: 'boolean' }, 'domain-password-env': { type: 'string' } }, 1, '<domain>');
  if (!values.user?.trim()) throw usage('domain join: --user <name> is required');
  const domainPassword = passwordSource({ 'password-stdin': values['domain-password-stdin'], 'password-env': values['domain-password-env'] });
  if (domainPassword.kind === 'none') throw usage('domain join: the password comes from --domain-password-stdin or --domain-password-env VAR');
  const connect = connectOptions(values);
  if (domainPassword.kind === 'stdin' && connect.password.kind === 'stdin') throw usage('domain join: standard input can carry only one password');
  return { name: 'domain join', domain: positionals[0]!, user: values.user.trim(), domainPassword, ...connect };
}

export function parseWhoami(args: string[]): AccessCommand {
  const { values } = parse(args, { ...CONNECT_OPTIONS, ...JSON_FLAG }, 0);
  return { name: 'whoami', json: !!values.json, ...connectOptions(values) };
}

/** `access list|grant|revoke`: the words of issue 16 for users list|add|remove. */
export function parseAccess(sub: string | undefined, args: string[]): AccessCommand {
  const same: Record<string, string> = { list: 'list', grant: 'add', revoke: 'remove' };
  if (!sub || !same[sub]) throw usage(sub ? `Unknown command "access ${sub}"` : 'access: expected list, grant or revoke');
  return parseUsers(same[sub], args);
}
