// Issue 10: adding a hypervisor family is one folder and one registration. A fifth
// provider that exists only in test code gets its form (app:info), its validation
// (the core) and its CLI options (server add) from its descriptor, with no other edit.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppCore, type PolyvisorCore } from '../../electron/core/app-core';
import { builtinProviders } from '../../electron/core/providers/builtin';
import { MemorySecretStore } from '../../electron/core/secrets/memory-secret-store';
import { parseCommand, usageText } from '../../electron/cli/args';
import { runCli } from '../../electron/cli/run';
import { acmeCloud, acmeDescriptor, acmeProviderFactory } from '../fixtures/fake-provider';

const providers = [...builtinProviders, acmeProviderFactory];
let home: string;
let core: PolyvisorCore;

beforeEach(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'polyvisor-acme-'));
  core = await createAppCore('web', { home, secrets: new MemorySecretStore(), providers, inventoryBatchMs: 5 });
});
afterEach(async () => {
  await core.stop();
  rmSync(home, { recursive: true, force: true });
});

const draft = { type: 'acme', host: 'api.acme.test', username: 'ops', options: { region: 'ap', projectId: 'prj-0042' } };

describe('a fifth provider, registered from test code only', () => {
  it('is described to the renderer with its own form', async () => {
    const info = await core.invoke('app:info');
    expect(info.providers.map((p) => p.type)).toEqual(['xenserver', 'proxmox', 'vsphere', 'docker', 'acme']);
    expect(info.providers.at(-1)).toEqual(acmeDescriptor);
  });

  it('is validated by the core from its descriptor: required, pattern, choice, range, undeclared options', async () => {
    const refused = async (changes: object, field: string) =>
      expect(core.invoke('servers:add', { ...draft, ...changes } as never)).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', field } });
    await refused({ options: { region: 'ap' } }, 'projectId');
    await refused({ options: { region: 'ap', projectId: 'project 42' } }, 'projectId');
    await refused({ options: { region: 'mars', projectId: 'prj-0042' } }, 'region');
    await refused({ options: { ...draft.options, pollMs: 5 } }, 'pollMs');
    await expect(core.invoke('servers:add', { ...draft, options: { ...draft.options, password: 'x' } })).rejects.toMatchObject({ info: { code: 'INVALID_INPUT', message: expect.stringMatching(/no option "password"/) } });
    const added = await core.invoke('servers:add', { ...draft, port: undefined, options: { ...draft.options, pollMs: '250' as never } });
    expect(added).toMatchObject({ type: 'acme', port: 9443, options: { region: 'ap', projectId: 'prj-0042', pollMs: 250 } });
  });

  it('connects and shows its tree; snapshot names follow its rule', async () => {
    const added = await core.invoke('servers:add', { ...draft, password: acmeCloud.password });
    expect((await core.invoke('servers:connect', added.id)).state).toBe('connected');
    const names = (await core.invoke('inventory:get')).filter((n) => n.serverId === added.id).map((n) => n.name);
    expect(names).toEqual(expect.arrayContaining(['Acme ap', 'alpha', 'beta']));
    const vm = (await core.invoke('inventory:get')).find((n) => n.name === 'alpha')!;
    await expect(core.invoke('actions:run', { nodeIds: [vm.id], action: 'snapshot_create', params: { name: 'Not Allowed 1' } })).rejects.toMatchObject({
      info: { code: 'INVALID_INPUT', field: 'name' },
    });
  });

  it('has CLI options generated from its descriptor, and secrets are refused as options', () => {
    const descriptors = providers.map((p) => p.descriptor);
    expect(usageText(descriptors)).toMatch(/acme: default port 9443; \[--region eu\|ap\] \[--project-id TEXT\] --option pollMs=…/);
    const command = parseCommand(['server', 'add', '--type', 'acme', '--host', 'h', '--user', 'ops', '--region', 'ap', '--project-id', 'prj-0001', '--option', 'pollMs=500'], descriptors);
    expect(command).toMatchObject({ name: 'server add', type: 'acme', options: { region: 'ap', projectId: 'prj-0001', pollMs: '500' } });
    for (const key of ['password', 'accessKey', 'apiKey', 'secret', 'token', 'passphrase']) {
      expect(() => parseCommand(['server', 'add', '--type', 'acme', '--host', 'h', '--option', `${key}=x`], descriptors)).toThrow(/looks like a secret.*--password-stdin/s);
    }
    expect(() => parseCommand(['server', 'add', '--type', 'acme', '--host', 'h', '--realm', 'pve'], descriptors)).toThrow(/Unknown option '--realm'/);
  });

  it('is added by the CLI, its fields checked by the core', async () => {
    vi.stubEnv('POLYVISOR_HOME', path.join(home, 'cli'));
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['server', 'add', '--type', 'acme', '--host', 'h', '--user', 'ops', '--project-id', 'nope', '--no-connect'], providers)).toBe(1);
      expect(stderr.join('')).toMatch(/Project ID is not in the expected form/);
      expect(await runCli(['server', 'add', '--type', 'acme', '--host', 'h', '--user', 'ops', '--project-id', 'prj-1234', '--no-connect'], providers)).toBe(0);
    } finally {
      spy.mockRestore();
      out.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
