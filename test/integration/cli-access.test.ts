// `polyvisor domain join|leave`, `users list|add|role|remove` and `whoami` as real processes
// against the XAPI simulator's Active Directory: each change read back from the simulator's
// own host and subject records, a wrong join password refused without being echoed, and a
// domain user's whoami naming its role and what it may not do.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringUnavailableReason } from '../peers/keyring';
import { requirePeer } from '../peers/require-peer';
import { startXapiSimulator, type XapiSimulator } from '../sim/xapi';
import { TEST_DIRECTORY } from '../sim/xapi/access-directory';
import { openCliProfile, type CliProfile } from './cli-profile';

const keyringMissing = keyringUnavailableReason();

let profile: CliProfile;
let sim: XapiSimulator;

const ok = (args: string[], stdin?: string) => profile.ok(args, stdin);
const hosts = () => [...sim.db.records('host').values()];
const subjects = () => [...sim.db.records('subject').values()].map((s) => [(s.other_config as Record<string, string>)['subject-name'], (s.roles as string[]).map((r) => sim.db.get('role', r)!.name_label)]);

beforeAll(async () => {
  if (keyringMissing) return;
  [profile, sim] = await Promise.all([openCliProfile('cli-access'), startXapiSimulator({ generate: { hosts: 2, vms: 2, snapshots: 0 }, directory: TEST_DIRECTORY })]);
});

afterAll(async () => {
  await Promise.all([sim?.stop(), profile?.close()]);
});

describe.skipIf(requirePeer(keyringMissing))('polyvisor users and domain against the XAPI simulator', { timeout: 120_000 }, () => {
  it('adds the pool as root, who may do anything', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'root', '--name', 'lab', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'password\n');
    const [me] = JSON.parse((await ok(['whoami', '--json'])).stdout) as Array<{ server: string; user: string; superuser: boolean }>;
    expect(me).toMatchObject({ server: 'lab', user: 'root', superuser: true });
  });

  it('refuses a wrong join password with the server’s code and never prints it', async () => {
    const refused = await profile.run(['domain', 'join', 'corp.example.com', '--user', 'Administrator', '--domain-password-stdin', '--server', 'lab'], 'not-the-secret-42\n');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('POOL_AUTH_ENABLE_FAILED_WRONG_CREDENTIALS');
    expect(refused.stderr + refused.stdout).not.toContain('not-the-secret-42');
    for (const host of hosts()) expect(host.external_auth_type).toBe('');
  });

  it('joins, adds a group with a role, changes it, lists it', async () => {
    await ok(['domain', 'join', 'corp.example.com', '--user', 'Administrator', '--domain-password-stdin', '--server', 'lab'], 'join-secret\n');
    for (const host of hosts()) expect([host.external_auth_type, host.external_auth_service_name]).toEqual(['AD', 'corp.example.com']);
    await ok(['users', 'add', 'CORP\\vm-operators', '--role', 'vm-operator']);
    expect(subjects()).toEqual([['CORP\\vm-operators', ['vm-operator']]]);
    await ok(['users', 'role', 'corp\\VM-operators', 'vm-admin']);
    expect(subjects()).toEqual([['CORP\\vm-operators', ['vm-admin']]]);
    const [listed] = JSON.parse((await ok(['users', 'list', '--json'])).stdout) as Array<{ directory: unknown; subjects: Array<{ name: string; kind: string; roles: string[] }> }>;
    expect(listed!.directory).toMatchObject({ type: 'AD', domain: 'corp.example.com' });
    expect(listed!.subjects).toMatchObject([{ name: 'CORP\\vm-operators', kind: 'group', roles: ['vm-admin'] }]);
    expect((await ok(['users', 'list'])).stdout).toMatch(/CORP\\vm-operators\s+group\s+vm-admin/);
  });

  it('a domain user’s whoami names its role and what it may not do', async () => {
    await ok(['server', 'add', '--type', 'xenserver', '--host', sim.host, '--port', String(sim.port), '--user', 'CORP\\alice', '--name', 'alice', '--accept-fingerprint', sim.fingerprint256, '--password-stdin'], 'alice-pw\n');
    const [me] = JSON.parse((await ok(['whoami', '--server', 'alice', '--json'])).stdout) as Array<{ user: string; superuser: boolean; roles: string[]; denied: Record<string, string> }>;
    expect(me).toMatchObject({ user: 'CORP\\alice', superuser: false, roles: ['vm-admin'] });
    expect(me!.denied).toMatchObject({ snapshot_create: 'vm.snapshot', migrate: 'vm.pool_migrate', access_manage: 'subject.create' });
    expect(me!.denied.destroy).toBeUndefined();
    expect((await ok(['whoami', '--server', 'alice'])).stdout).toContain('may not: ');
  });

  it('removes the group and leaves the domain', async () => {
    await ok(['users', 'remove', 'CORP\\vm-operators', '--server', 'lab']);
    expect(subjects()).toEqual([]);
    await ok(['domain', 'leave', '--server', 'lab']);
    for (const host of hosts()) expect(host.external_auth_type).toBe('');
  });
});
