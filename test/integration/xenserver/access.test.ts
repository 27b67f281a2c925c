// Users and access on XenServer (issue 16) against the simulator's Active Directory: the
// provider joins the pool to the domain (a wrong password refused, and never echoed), adds
// a group with the vm-operator role, a member of it logs in as DOMAIN\user and its session
// says what it may not do — which the server then indeed refuses — and the role change,
// removal and leaving are read back from the simulator's own records.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolyvisorError } from '../../../shared/errors';
import { startXapiSimulator, type XapiSimulator } from '../../sim/xapi';
import { TEST_DIRECTORY } from '../../sim/xapi/access-directory';
import { Harness, reporter } from './harness';

const roleNames = (sim: XapiSimulator, refs: unknown) => (refs as string[]).map((r) => String(sim.db.get('role', r)!.name_label));
/** the provider's users and access (the XenServer provider has them) */
const acc = (h: Harness) => h.provider.access!;
const hosts = (sim: XapiSimulator) => [...sim.db.records('host').values()];

describe('XenServer users and access', () => {
  let sim: XapiSimulator;
  let root: Harness;
  let alice: Harness | undefined;

  beforeAll(async () => {
    sim = await startXapiSimulator({ generate: { hosts: 2, vms: 3, snapshots: 0 }, directory: TEST_DIRECTORY });
    root = new Harness(sim);
    await root.provider.connect();
  }, 60_000);

  afterAll(async () => {
    await alice?.provider.disconnect();
    await root?.provider.disconnect();
    await sim?.stop();
  });

  it('the local superuser may do anything', () => {
    expect(acc(root).session()).toEqual({ user: 'root', superuser: true, roles: ['pool-admin'], permissions: [], denied: {} });
  });

  it('refuses a wrong join password with the server code, without the password in the error', async () => {
    const err = await acc(root).joinDomain({ domain: 'corp.example.com', user: 'Administrator', password: 'wrong-secret' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolyvisorError);
    const info = (err as PolyvisorError).info;
    expect(info.serverCode).toBe('POOL_AUTH_ENABLE_FAILED_WRONG_CREDENTIALS');
    expect(JSON.stringify(info)).not.toContain('wrong-secret');
    for (const host of hosts(sim)) expect(host.external_auth_type).toBe('');
  });

  it('joins the domain and adds a group with the vm-operator role', async () => {
    await acc(root).joinDomain({ domain: 'corp.example.com', user: 'Administrator', password: 'join-secret' });
    for (const host of hosts(sim)) expect([host.external_auth_type, host.external_auth_service_name]).toEqual(['AD', 'corp.example.com']);
    await expect(acc(root).addSubject('CORP\\nobody', 'vm-operator')).rejects.toMatchObject({ info: { serverCode: 'SUBJECT_CANNOT_BE_RESOLVED' } });
    await acc(root).addSubject('CORP\\vm-operators', 'vm-operator');
    const subjects = [...sim.db.records('subject').values()];
    expect(subjects.map((s) => [(s.other_config as Record<string, string>)['subject-name'], roleNames(sim, s.roles)])).toEqual([['CORP\\vm-operators', ['vm-operator']]]);
    const overview = await acc(root).overview();
    expect(overview.directory).toEqual({ type: 'AD', domain: 'corp.example.com', joinedAs: 'Administrator' });
    expect(overview.subjects).toMatchObject([{ name: 'CORP\\vm-operators', kind: 'group', roles: ['vm-operator'], loggedIn: false }]);
    expect(overview.roles.map((r) => r.name)).toEqual(['pool-admin', 'pool-operator', 'vm-power-admin', 'vm-admin', 'vm-operator', 'read-only']);
  });

  it('a member logs in as DOMAIN\\user with the group’s role; what it may not do is named, and the server refuses it', async () => {
    alice = new Harness(sim, { username: 'CORP\\alice', password: 'alice-pw' });
    await alice.provider.connect();
    const access = acc(alice).session()!;
    expect(access).toMatchObject({ user: 'CORP\\alice', superuser: false, roles: ['vm-operator'] });
    expect(access.denied).toMatchObject({ snapshot_create: 'vm.snapshot', destroy: 'vm.destroy', migrate: 'vm.pool_migrate', access_manage: 'subject.create', host_reboot: 'host.reboot' });
    expect(access.denied.start).toBeUndefined();
    expect(access.denied.shutdown).toBeUndefined();
    const sessionRecord = [...sim.db.records('session').values()].find((s) => s.auth_user_name === 'CORP\\alice')!;
    expect(access.permissions.sort()).toEqual([...(sessionRecord.rbac_permissions as string[])].sort());
    const vm = [...sim.db.records('VM')].find(([, r]) => !r.is_a_template && !r.is_control_domain)![0];
    await expect(alice.provider.runAction({ nativeRef: vm, kind: 'vm' }, 'snapshot_create', { name: 'nope' }, reporter())).rejects.toMatchObject({ info: { serverCode: 'RBAC_PERMISSION_DENIED', serverParams: ['vm.snapshot', expect.stringContaining('vm-power-admin')] } });
    await expect(acc(alice).addSubject('CORP\\bob', 'read-only')).rejects.toMatchObject({ info: { serverCode: 'RBAC_PERMISSION_DENIED' } });
  });

  it('changes the role, ends a user’s sessions, removes the subject and leaves the domain', async () => {
    const group = (await acc(root).overview()).subjects[0]!;
    await acc(root).setRole(group.id, 'vm-power-admin');
    expect(roleNames(sim, sim.db.get('subject', group.id)!.roles)).toEqual(['vm-power-admin']);
    await acc(root).addSubject('alice@corp.example.com', 'read-only');
    const user = (await acc(root).overview()).subjects.find((s) => s.name === 'CORP\\alice')!;
    expect(user).toMatchObject({ kind: 'user', displayName: 'Alice Operator', roles: ['read-only'], loggedIn: true });
    await acc(root).logout(user.id);
    expect([...sim.db.records('session').values()].some((s) => s.auth_user_name === 'CORP\\alice')).toBe(false);
    await acc(root).removeSubject(group.id);
    expect(sim.db.get('subject', group.id)).toBeUndefined();
    await acc(root).leaveDomain();
    for (const host of hosts(sim)) expect(host.external_auth_type).toBe('');
    expect((await acc(root).overview()).directory).toBeNull();
  });
});
