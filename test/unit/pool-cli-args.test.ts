// `polyvisor pool join` and `pool eject` from argv: what each parses to, and bad input
// refused with exit code 2 before anything connects, naming the argument.

import { describe, expect, it } from 'vitest';
import { parseCommand as parseWith, usageText } from '../../electron/cli/args';
import { EXIT_USAGE } from '../../electron/cli/run';
import { builtinProviders } from '../../electron/core/providers/builtin';
import { usageRefusal } from './helpers/cli-usage-error';

const descriptors = builtinProviders.map((p) => p.descriptor);
const parse = (argv: string[]) => parseWith(argv, descriptors);

describe('pool commands', () => {
  it('pool join <server|host> --to <pool> [--json]; pool eject <host>', () => {
    expect(parse(['pool', 'join', 'lone', '--to', 'Big pool', '--json'])).toEqual({ name: 'pool join', host: 'lone', to: 'Big pool', json: true, server: undefined, password: { kind: 'none' } });
    expect(parse(['pool', 'eject', 'host-3', '--server', 'big'])).toEqual({ name: 'pool eject', host: 'host-3', server: 'big', password: { kind: 'none' } });
    expect(usageText(descriptors)).toContain('pool join <server|host> --to <pool server|pool>');
  });

  it.each([
    [['pool', 'join', 'lone'], 'pool join: --to <pool server|pool> is required'],
    [['pool', 'join', 'lone', '--to', ' '], 'pool join: --to must not be empty'],
    [['pool', 'eject'], '<host>'],
    [['pool', 'leave', 'h'], 'Unknown command "pool leave"'],
    [['pool'], 'pool: expected join or eject'],
  ])('refuses %j as usage', async (argv, words) => {
    const refused = await usageRefusal(argv);
    expect(refused.code).toBe(EXIT_USAGE);
    expect(refused.stderr).toContain(words);
  });
});
