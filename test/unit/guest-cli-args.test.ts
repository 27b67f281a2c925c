// `polyvisor vm …`, `container create`, `image …` and `volume …` from argv: what each
// parses to (sizes in bytes through shared/sizes.ts, binary and decimal units), and bad
// input refused with exit code 2 before anything connects, naming the option at fault.

import { describe, expect, it } from 'vitest';
import { parseCommand as parseWith, usageText } from '../../electron/cli/args';
import { EXIT_USAGE } from '../../electron/cli/run';
import { builtinProviders } from '../../electron/core/providers/builtin';
import { usageRefusal } from './helpers/cli-usage-error';

const descriptors = builtinProviders.map((p) => p.descriptor);
const parse = (argv: string[]) => parseWith(argv, descriptors);
const none = { kind: 'none' };
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('vm commands', () => {
  it('vm create: template, name, sizes in binary and decimal units, repeated disks and networks', () => {
    expect(
      parse([
        'vm', 'create', '--template', 'Debian 12', '--name', 'web 1', '--vcpus', '2', '--memory', '4GiB', '--memory-dynamic', '2GiB..4GiB',
        '--disk', '20GiB@Local storage', '--disk', '10 GB', '--network', 'Pool-wide network', '--network', 'eth1', '--iso', 'debian.iso',
        '--host', 'host-02', '--start', '--server', 'xs', '--description', 'the web tier',
      ]),
    ).toEqual({
      name: 'vm create',
      template: 'Debian 12',
      vmName: 'web 1',
      description: 'the web tier',
      vcpus: 2,
      memory: 4 * GiB,
      memoryDynamic: { min: 2 * GiB, max: 4 * GiB },
      disks: [{ sizeBytes: 20 * GiB, storage: 'Local storage' }, { sizeBytes: 10_000_000_000 }],
      networks: ['Pool-wide network', 'eth1'],
      iso: 'debian.iso',
      host: 'host-02',
      start: true,
      json: false,
      server: 'xs',
      password: none,
    });
  });

  it('vm create: a bare number is MiB for memory and GiB for disks; nothing else is required', () => {
    expect(parse(['vm', 'create', '--template', 't', '--name', 'n', '--memory', '512', '--disk', '8'])).toMatchObject({ memory: 512 * MiB, disks: [{ sizeBytes: 8 * GiB }], networks: [], start: false });
    expect(parse(['vm', 'create', '--template', 't', '--name', 'n'])).toMatchObject({ memory: undefined, memoryDynamic: undefined, disks: [], vcpus: undefined });
  });

  it('vm clone, template, show', () => {
    expect(parse(['vm', 'clone', 'web', '--name', 'web copy', '--full'])).toEqual({ name: 'vm clone', vm: 'web', newName: 'web copy', full: true, json: false, server: undefined, password: none });
    expect(parse(['vm', 'clone', 'web', '--name', 'c'])).toMatchObject({ full: false });
    expect(parse(['vm', 'template', 'web', '--json'])).toEqual({ name: 'vm template', vm: 'web', json: true, server: undefined, password: none });
    expect(parse(['vm', 'show', 'web'])).toMatchObject({ name: 'vm show', vm: 'web', json: false });
  });

  it('vm delete: several VMs, --keep-disks, --force, --yes', () => {
    expect(parse(['vm', 'delete', 'a', 'b', '--keep-disks', '--force', '--yes'])).toEqual({ name: 'vm delete', vms: ['a', 'b'], keepDisks: true, force: true, yes: true, json: false, server: undefined, password: none });
    expect(parse(['vm', 'delete', 'a'])).toMatchObject({ keepDisks: false, force: false, yes: false });
  });

  it('vm set: only what is given changes; --eject is an ISO of null; --autostart on|off', () => {
    expect(parse(['vm', 'set', 'web', '--vcpus', '4', '--memory-dynamic', '1GiB..2048MiB', '--autostart', 'off'])).toEqual({
      name: 'vm set',
      vm: 'web',
      settings: { vcpus: 4, memoryDynamic: { min: GiB, max: 2 * GiB }, autostart: false },
      json: false,
      server: undefined,
      password: none,
    });
    expect(parse(['vm', 'set', 'web', '--eject'])).toMatchObject({ settings: { iso: null } });
    expect(parse(['vm', 'set', 'web', '--iso', 'x.iso', '--name', 'web2', '--description', ''])).toMatchObject({ settings: { iso: 'x.iso', newName: 'web2', description: '' } });
    expect(parse(['vm', 'set', 'web', '--memory', '8 GB', '--autostart', 'on'])).toMatchObject({ settings: { memory: 8_000_000_000, autostart: true } });
  });
});

describe('container, image and volume commands', () => {
  it('container create: ports, environment, volumes, restart policy, limits; --server is required', () => {
    expect(
      parse(['container', 'create', '--image', 'local/busybox', '--name', 'web', '-p', '8080:80', '-p', '53/udp', '-e', 'A=1', '--env', 'B=x=y', '-v', 'data:/data', '-v', '/srv:/srv:ro', '--restart', 'unless-stopped', '--memory', '512MiB', '--cpus', '0.5', '--start', '--server', 'docker']),
    ).toEqual({
      name: 'container create',
      image: 'local/busybox',
      containerName: 'web',
      ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'udp' }],
      env: ['A=1', 'B=x=y'],
      volumes: [{ source: 'data', target: '/data' }, { source: '/srv', target: '/srv', readOnly: true }],
      restart: 'unless-stopped',
      memory: 512 * MiB,
      cpus: 0.5,
      start: true,
      json: false,
      server: 'docker',
      password: none,
    });
  });

  it('image list|pull|remove|prune, volume list|remove|prune', () => {
    expect(parse(['image', 'list', '--json'])).toEqual({ name: 'image list', json: true, server: undefined, password: none });
    expect(parse(['image', 'pull', 'registry.local:5000/app:1.2', '--server', 'd'])).toMatchObject({ name: 'image pull', reference: 'registry.local:5000/app:1.2', server: 'd' });
    expect(parse(['image', 'remove', 'a', 'b'])).toMatchObject({ name: 'image remove', items: ['a', 'b'] });
    expect(parse(['image', 'prune', '--yes'])).toMatchObject({ name: 'image prune', yes: true });
    expect(parse(['volume', 'list'])).toMatchObject({ name: 'volume list', json: false });
    expect(parse(['volume', 'remove', 'data'])).toMatchObject({ name: 'volume remove', items: ['data'] });
    expect(parse(['volume', 'prune'])).toMatchObject({ name: 'volume prune', yes: false });
  });

  it('the usage lists every command', () => {
    const text = usageText(descriptors);
    for (const line of ['vm create --template T --name N', '--memory-dynamic 2GiB..4GiB', 'vm clone <vm> --name N [--full]', 'vm delete <vm>… [--keep-disks] [--force] [--yes]', '[--iso ISO | --eject] [--autostart on|off]', 'vm template <vm>', 'vm show <vm>', 'container create --image I --name N', 'image list | image pull <reference> | image remove <image>… | image prune [--yes]', 'volume list | volume remove <volume>… | volume prune [--yes]']) {
      expect(text).toContain(line);
    }
  });
});

describe('bad input: exit code 2 and the option at fault named, before anything connects', () => {
  it.each([
    [['vm', 'create', '--name', 'n'], /vm create: --template is required/],
    [['vm', 'create', '--template', 't'], /vm create: --name is required/],
    [['vm', 'create', '--template', 't', '--name', ' '], /vm create: --name must not be empty/],
    [['vm', 'create', '--template', 't', '--name', 'n', '--memory', '4XB'], /--memory: "XB" is not a unit of size/],
    [['vm', 'create', '--template', 't', '--name', 'n', '--memory', 'lots'], /--memory: "lots" is not a size/],
    [['vm', 'create', '--template', 't', '--name', 'n', '--memory', '0'], /--memory: must be more than 0/],
    [['vm', 'create', '--template', 't', '--name', 'n', '--memory-dynamic', '4GiB..2GiB'], /--memory-dynamic: the range 4GiB..2GiB starts above its end/],
    [['vm', 'create', '--template', 't', '--name', 'n', '--memory-dynamic', '4GiB'], /--memory-dynamic: "4GiB" is not a range/],
    [['vm', 'create', '--template', 't', '--name', 'n', '--memory', '2GiB', '--memory-dynamic', '1GiB..3GiB'], /--memory-dynamic: the range must end at or below --memory/],
    [['vm', 'create', '--template', 't', '--name', 'n', '--disk', '20QB'], /--disk: "QB" is not a unit of size/],
    [['vm', 'create', '--template', 't', '--name', 'n', '--disk', '20GiB@'], /--disk: the storage after "@" must not be empty/],
    [['vm', 'create', '--template', 't', '--name', 'n', '--vcpus', '1.5'], /--vcpus must be a whole number from 1 to 1024/],
    [['vm', 'create', '--template', 't', '--name', 'n', '--vcpus', '0'], /--vcpus must be a whole number/],
    [['vm', 'clone', 'web'], /vm clone: --name is required/],
    [['vm', 'delete'], /Expected at least one <vm> to delete/],
    [['vm', 'set', 'web'], /vm set: nothing to change/],
    [['vm', 'set', 'web', '--iso', 'x', '--eject'], /vm set: give --iso ISO or --eject, not both/],
    [['vm', 'set', 'web', '--autostart', 'yes'], /--autostart must be on or off/],
    [['vm', 'set', 'web', '--memory-dynamic', '1GiB..x'], /--memory-dynamic: "x" is not a size/],
    [['vm', 'resize', 'web'], /Unknown command "vm resize"/],
    [['container', 'create', '--image', 'i', '--name', 'n'], /container create: --server is required/],
    [['container', 'create', '--image', 'i', '--name', 'n', '--server', 'd', '-p', '80:99999'], /-p\/--publish: "80:99999" is not \[HOST:\]PORT/],
    [['container', 'create', '--image', 'i', '--name', 'n', '--server', 'd', '-e', 'NOVALUE'], /-e\/--env: "NOVALUE" must read NAME=value/],
    [['container', 'create', '--image', 'i', '--name', 'n', '--server', 'd', '-v', 'data:relative'], /-v\/--volume: "data:relative" must read VOLUME:\/path/],
    [['container', 'create', '--image', 'i', '--name', 'n', '--server', 'd', '--restart', 'sometimes'], /--restart must be one of no, always, unless-stopped, on-failure/],
    [['container', 'create', '--image', 'i', '--name', 'n', '--server', 'd', '--cpus=0'], /--cpus must be a number of cores above 0/],
    [['container', 'create', '--image', 'i', '--name', 'n', '--server', 'd', '--memory', '1 PB'], /--memory: "PB" is not a unit of size/],
    [['image', 'pull', 'Not a ref!'], /image pull: "Not a ref!" is not an image reference/],
    [['image', 'pull'], /Expected <reference>, got 0/],
    [['image', 'tag', 'x'], /Unknown command "image tag"/],
    [['volume', 'pull', 'x'], /Unknown command "volume pull"/],
    [['volume'], /volume: expected list, remove, prune/],
  ])('%j', async (argv, message) => {
    const refused = await usageRefusal(argv);
    expect(refused.code).toBe(EXIT_USAGE);
    expect(refused.stderr).toMatch(message);
  });
});
