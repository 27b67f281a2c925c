// `polyvisor disk add|attach|resize|detach` from argv (issue 16): what each parses to, and
// bad input refused with exit code 2 before anything connects, naming the argument.

import { describe, expect, it } from 'vitest';
import { parseCommand as parseWith, usageText } from '../../electron/cli/args';
import { EXIT_USAGE } from '../../electron/cli/run';
import { builtinProviders } from '../../electron/core/providers/builtin';
import { usageRefusal } from './helpers/cli-usage-error';

const descriptors = builtinProviders.map((p) => p.descriptor);
const parse = (argv: string[]) => parseWith(argv, descriptors);
const none = { server: undefined, password: { kind: 'none' } };
const GiB = 1024 ** 3;

describe('disk commands', () => {
  it('parses add, attach, resize and detach; a bare size is GiB, +N grows by it', () => {
    expect(parse(['disk', 'add', 'web', '--size', '8', '--storage', 'NFS', '--name', 'data'])).toEqual({ name: 'disk add', vm: 'web', storage: 'NFS', sizeBytes: 8 * GiB, diskName: 'data', ...none });
    expect(parse(['disk', 'add', 'web', '--size', '512MiB', '--storage', 'NFS'])).toEqual({ name: 'disk add', vm: 'web', storage: 'NFS', sizeBytes: 512 * 1024 ** 2, ...none });
    expect(parse(['disk', 'attach', 'web', '--json'])).toEqual({ name: 'disk attach', vm: 'web', json: true, ...none });
    expect(parse(['disk', 'attach', 'web', 'spare'])).toEqual({ name: 'disk attach', vm: 'web', disk: 'spare', json: false, ...none });
    expect(parse(['disk', 'resize', 'web', 'xvdb', '--size', '+10GiB'])).toEqual({ name: 'disk resize', vm: 'web', disk: 'xvdb', size: { bytes: 10 * GiB, grow: true }, ...none });
    expect(parse(['disk', 'resize', 'web', 'xvdb', '--size', '40'])).toEqual({ name: 'disk resize', vm: 'web', disk: 'xvdb', size: { bytes: 40 * GiB, grow: false }, ...none });
    expect(parse(['disk', 'detach', 'web', 'xvdb', '--delete'])).toEqual({ name: 'disk detach', vm: 'web', disk: 'xvdb', deleteDisk: true, ...none });
    expect(usageText(descriptors)).toContain('disk resize <vm> <disk> --size 40GiB|+10GiB');
  });

  it.each([
    [['disk', 'add', 'web', '--size', '8'], 'disk add: --storage <storage> is required'],
    [['disk', 'add', 'web', '--storage', 'NFS'], 'disk add: --size is required'],
    [['disk', 'add', 'web', '--storage', 'NFS', '--size', '+2'], 'no +'],
    [['disk', 'add', 'web', '--storage', 'NFS', '--size', '0'], '--size: must be more than 0'],
    [['disk', 'resize', 'web', 'xvdb', '--size', 'lots'], 'is not a size'],
    [['disk', 'attach', 'web', 'a', 'b'], 'Unexpected argument "b"'],
    [['disk', 'detach', 'web'], '<vm> <disk>'],
    [['disk', 'grow', 'web'], 'Unknown command "disk grow"'],
    [['disk'], 'disk: expected add, attach, resize, detach or move'],
  ])('refuses %j as usage', async (argv, words) => {
    const refused = await usageRefusal(argv);
    expect(refused.code).toBe(EXIT_USAGE);
    expect(refused.stderr).toContain(words);
  });
});
