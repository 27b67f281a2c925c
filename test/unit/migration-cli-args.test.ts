// `polyvisor migrate`, `host …` and `container move` from argv: what each parses to,
// and bad input refused with exit code 2 before anything connects, naming the argument.

import { describe, expect, it } from 'vitest';
import { parseCommand as parseWith, usageText } from '../../electron/cli/args';
import { EXIT_USAGE } from '../../electron/cli/run';
import { builtinProviders } from '../../electron/core/providers/builtin';
import { usageRefusal } from './helpers/cli-usage-error';

const descriptors = builtinProviders.map((p) => p.descriptor);
const parse = (argv: string[]) => parseWith(argv, descriptors);
const none = { kind: 'none' };

describe('parsing', () => {
  it('migrate: one or more VMs, --to, an optional --storage and --json', () => {
    expect(parse(['migrate', 'web-1', 'db 2', '--to', 'host-2', '--storage', 'Local SR', '--json'])).toEqual({
      name: 'migrate',
      vms: ['web-1', 'db 2'],
      to: 'host-2',
      storage: 'Local SR',
      json: true,
      server: undefined,
      password: none,
    });
    expect(parse(['migrate', 'web-1', '--to=h', '--server', 'pool-a'])).toMatchObject({ vms: ['web-1'], to: 'h', storage: undefined, json: false, server: 'pool-a' });
  });

  it('host maintenance, evacuate, reboot/shutdown with force, power-on', () => {
    expect(parse(['host', 'maintenance', 'enter', 'h1'])).toEqual({ name: 'host maintenance', direction: 'enter', host: 'h1', server: undefined, password: none });
    expect(parse(['host', 'maintenance', 'exit', 'h1'])).toMatchObject({ direction: 'exit' });
    expect(parse(['host', 'evacuate', 'h1', '--dry-run'])).toMatchObject({ name: 'host evacuate', host: 'h1', dryRun: true, json: false });
    expect(parse(['host', 'reboot', 'h1', '--force'])).toMatchObject({ name: 'host reboot', host: 'h1', force: true });
    expect(parse(['host', 'shutdown', 'h1'])).toMatchObject({ name: 'host shutdown', force: false });
    expect(parse(['host', 'power-on', 'h1'])).toMatchObject({ name: 'host power-on', host: 'h1' });
  });

  it('container move --to an engine', () => {
    expect(parse(['container', 'move', 'web', '--to', 'docker-b'])).toEqual({ name: 'container move', container: 'web', to: 'docker-b', json: false, server: undefined, password: none });
  });

  it('the usage lists every command', () => {
    const text = usageText(descriptors);
    for (const line of ['migrate <vm>… --to <host> [--storage <id|name>] [--json]', 'host maintenance enter|exit <host>', 'host evacuate <host> [--dry-run]', 'host reboot <host> [--force]', 'host power-on <host>', 'container move <container> --to <engine>']) {
      expect(text).toContain(line);
    }
  });
});

describe('bad input: exit code 2 and the argument at fault named, before anything connects', () => {
  it.each([
    [['migrate', '--to', 'h'], /Expected at least one <vm> to move/],
    [['migrate', 'web'], /migrate: --to <host> is required/],
    [['migrate', 'web', '--to', ' '], /migrate: --to <host> must not be empty/],
    [['migrate', 'web', '--to', 'h', '--storage', ''], /--storage must not be empty/],
    [['migrate', 'web', '--to', 'h', '--live'], /Unknown option '--live'/],
    [['host'], /host: expected maintenance, evacuate/],
    [['host', 'maintenance', 'h1'], /host maintenance: expected enter or exit/],
    [['host', 'maintenance', 'enter'], /Expected <host>, got 0/],
    [['host', 'evacuate', 'h1', 'h2'], /Expected <host>, got 2/],
    [['host', 'reboot', 'h1', '--now'], /Unknown option '--now'/],
    [['host', 'power-off', 'h1'], /Unknown command "host power-off"/],
    [['container', 'move', 'web'], /container move: --to <engine> is required/],
    [['container', 'copy', 'web'], /Unknown command "container copy"/],
  ])('%j', async (argv, message) => {
    const refused = await usageRefusal(argv);
    expect(refused.code).toBe(EXIT_USAGE);
    expect(refused.stderr).toMatch(message);
  });
});
