// `polyvisor users …`, `domain join|leave` and `whoami` from argv: what each parses to, and
// bad input refused as usage before anything connects — a password never on the command line.

import { describe, expect, it } from 'vitest';
import { parseCommand as parseWith, usageText } from '../../electron/cli/args';
import { builtinProviders } from '../../electron/core/providers/builtin';

const descriptors = builtinProviders.map((p) => p.descriptor);
const parse = (argv: string[]) => parseWith(argv, descriptors);
const none = { kind: 'none' };

describe('access commands', () => {
  it('parse users, domain and whoami', () => {
    expect(parse(['users', 'list', '--json'])).toEqual({ name: 'users list', json: true, server: undefined, password: none });
    expect(parse(['users', 'add', 'CORP\\ops', '--role', 'vm-operator', '--server', 'lab'])).toEqual({ name: 'users add', subject: 'CORP\\ops', role: 'vm-operator', server: 'lab', password: none });
    expect(parse(['users', 'role', 'CORP\\ops', 'read-only'])).toEqual({ name: 'users role', subject: 'CORP\\ops', role: 'read-only', server: undefined, password: none });
    expect(parse(['users', 'remove', 'CORP\\ops'])).toMatchObject({ name: 'users remove', subject: 'CORP\\ops' });
    expect(parse(['users', 'logout', 'CORP\\ops'])).toMatchObject({ name: 'users logout', subject: 'CORP\\ops' });
    expect(parse(['domain', 'join', 'corp.example.com', '--user', 'Administrator', '--domain-password-env', 'JOIN_PW'])).toEqual({
      name: 'domain join',
      domain: 'corp.example.com',
      user: 'Administrator',
      domainPassword: { kind: 'env', variable: 'JOIN_PW' },
      server: undefined,
      password: none,
    });
    expect(parse(['domain', 'leave', '--server', 'lab'])).toEqual({ name: 'domain leave', server: 'lab', password: none });
    expect(parse(['whoami'])).toEqual({ name: 'whoami', json: false, server: undefined, password: none });
    expect(usageText(descriptors)).toContain('domain join <domain> --user U');
    // issue 16's words for the same
    expect(parse(['access', 'grant', 'CORP\\ops', '--role', 'read-only'])).toEqual(parse(['users', 'add', 'CORP\\ops', '--role', 'read-only']));
    expect(parse(['access', 'revoke', 'CORP\\ops'])).toEqual(parse(['users', 'remove', 'CORP\\ops']));
    expect(parse(['access', 'list', '--json'])).toEqual(parse(['users', 'list', '--json']));
  });

  it.each([
    [['users', 'add', 'CORP\\ops'], '--role <role> is required'],
    [['domain', 'join', 'corp.example.com', '--user', 'a'], '--domain-password-stdin or --domain-password-env'],
    [['domain', 'join', 'corp.example.com', '--user', 'a', '--domain-password-stdin', '--password-stdin'], 'only one password'],
    [['domain', 'join', 'corp.example.com', '--domain-password-stdin'], '--user <name> is required'],
    [['users', 'rename', 'x'], 'Unknown command "users rename"'],
    [['access', 'give', 'x'], 'Unknown command "access give"'],
    [['domain', 'join', 'corp.example.com', '--user', 'a', '--password=secret'], 'never taken on the command line'],
  ])('refuses %j as usage', (argv, words) => {
    expect(() => parse(argv)).toThrow(words);
  });
});
