// The CLI's pure parts: argv → command (usage errors before anything connects)
// and the text tree (snapshot trees nested under their VM).

import { describe, expect, it } from 'vitest';
import type { InventoryNode } from '../../shared/model';
import { parseCommand as parseWith } from '../../electron/cli/args';
import { builtinProviders } from '../../electron/core/providers/builtin';
import { formatTree } from '../../electron/cli/format';
import { findNode } from '../../electron/cli/resolve';

const FP = 'ab'.repeat(32);
const parseCommand = (argv: string[]) => parseWith(argv, builtinProviders.map((p) => p.descriptor));

describe('parseCommand', () => {
  it('parses server add with the password source and a normalized fingerprint', () => {
    expect(
      parseCommand(['server', 'add', '--type', 'xenserver', '--host', 'h', '--port', '443', '--user', 'root', '--password-env', 'XS_PW', '--accept-fingerprint', `sha256:${FP}`, '--no-remember']),
    ).toMatchObject({
      name: 'server add',
      type: 'xenserver',
      host: 'h',
      port: 443,
      username: 'root',
      password: { kind: 'env', variable: 'XS_PW' },
      acceptFingerprint: FP.toUpperCase().match(/.{2}/g)!.join(':'),
      remember: false,
      connect: true,
    });
  });

  it('refuses passwords on the command line and bad values, with INVALID_INPUT', () => {
    const refused = (argv: string[], message: RegExp) => {
      expect(() => parseCommand(argv)).toThrow(message);
      try {
        parseCommand(argv);
      } catch (e) {
        expect((e as { info: { code: string } }).info.code).toBe('INVALID_INPUT');
      }
    };
    refused(['server', 'add', '--type', 'xenserver', '--host', 'h', '--password=x'], /never taken on the command line/);
    refused(['server', 'add', '--type', 'hyperv', '--host', 'h'], /--type must be one of/);
    refused(['server', 'add', '--type', 'docker', '--host', 'h', '--port', '70000'], /--port must be 1-65535/);
    refused(['server', 'add', '--type', 'docker', '--host', 'h', '--accept-fingerprint', 'abc'], /64 hex digits/);
    refused(['server', 'add', '--type', 'docker', '--host', 'h', '--password-stdin', '--password-env', 'X'], /not both/);
    refused(['snapshot', 'create', 'vm1'], /--name is required/);
    refused(['power', 'explode', 'vm1'], /action must be one of/);
    refused(['power', 'start'], /at least 2/);
    refused(['inventory', '--bogus'], /Unknown option/);
    refused(['frobnicate'], /Unknown command/);
  });

  it('parses snapshot and power commands', () => {
    expect(parseCommand(['snapshot', 'create', 'web 1', '--name', 'before', '--memory', '--server', 'lab'])).toMatchObject({
      name: 'snapshot create',
      vm: 'web 1',
      snapshotName: 'before',
      memory: true,
      server: 'lab',
      password: { kind: 'none' },
    });
    expect(parseCommand(['snapshot', 'revert', 's1', '--vm', 'web 1'])).toMatchObject({ name: 'snapshot revert', snapshot: 's1', vm: 'web 1' });
    expect(parseCommand(['power', 'force_shutdown', 'a', 'b', '--password-stdin'])).toMatchObject({ action: 'force_shutdown', vms: ['a', 'b'], password: { kind: 'stdin' } });
  });
});

function node(kind: InventoryNode['kind'], ref: string, name: string, parentId: string | null, extra: Partial<InventoryNode> = {}): InventoryNode {
  return { id: `s:${kind}:${ref}`, serverId: 's', kind, name, parentId, nativeRef: ref, allowed: [], props: {}, ...extra };
}

const nodes: InventoryNode[] = [
  node('server', 's', 'lab', null),
  node('pool', 'p', 'pool', 's:server:s'),
  node('host', 'h', 'host-1', 's:pool:p', { state: 'running' }),
  node('vm', 'dom0', 'Control domain', 's:host:h', { controlDomain: true }),
  node('vm', 'v', 'web', 's:host:h', { state: 'halted' }),
  node('vm', 'w', 'web', 's:pool:p', { state: 'running' }),
  node('template', 't', 'Debian', 's:pool:p'),
  node('snapshot', 'a', 'base', 's:vm:v', { snapshot: { ofId: 's:vm:v', parentSnapshotId: null, time: '2024-01-01T00:00:00Z', withMemory: false, description: '' } }),
  node('snapshot', 'b', 'child', 's:vm:v', { snapshot: { ofId: 's:vm:v', parentSnapshotId: 's:snapshot:a', time: '2024-01-02T00:00:00Z', withMemory: true, description: '' } }),
];

describe('formatTree', () => {
  it('indents the infrastructure tree and nests snapshots by parent, hiding dom0 and templates', () => {
    const lines = formatTree(nodes, { templates: false }).split('\n').map((l) => l.replace(/ {2}s:\S+$/, ''));
    expect(lines).toEqual([
      'server lab',
      '  pool pool',
      '    host host-1 [running]',
      '      vm web [halted]',
      '        snapshot base 2024-01-01T00:00:00Z',
      '          snapshot child (with memory) 2024-01-02T00:00:00Z',
      '    vm web [running]',
    ]);
    expect(formatTree(nodes, { templates: true })).toContain('template Debian');
  });
});

describe('findNode', () => {
  it('finds by id, native ref or unique name, and lists candidates for an ambiguous name', () => {
    expect(findNode(nodes, 's:vm:w', ['vm'], 'VM').nativeRef).toBe('w');
    expect(findNode(nodes, 'v', ['vm'], 'VM').id).toBe('s:vm:v');
    expect(findNode(nodes, 'child', ['snapshot'], 'snapshot').id).toBe('s:snapshot:b');
    expect(() => findNode(nodes, 'web', ['vm'], 'VM')).toThrow(/ambiguous[\s\S]*s:vm:v[\s\S]*s:vm:w/);
    expect(() => findNode(nodes, 'nope', ['vm'], 'VM')).toThrow(/No VM "nope"/);
  });
});
