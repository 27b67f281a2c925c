// Users and access in the simulator, over the wire as a client sees it: joining the test
// directory (and xapi's refusals), subjects and roles, a directory user's login through a
// group, its session's permissions, and RBAC refusing a call outside its role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from './index';
import { expectOk, jsonCall, login, type RpcResult } from './rpc-client';
import { TEST_DIRECTORY } from './access-directory';

let sim: XapiSimulator;
let root: string;
let pool: string;
const call = (method: string, ...params: unknown[]): Promise<RpcResult> => jsonCall(sim.url, method, params);
const failure = (r: RpcResult) => (r.ok ? [] : r.description);

beforeAll(async () => {
  sim = await startXapiSimulator({ generate: { hosts: 2, vms: 3, snapshots: 0 }, directory: TEST_DIRECTORY, tls: false });
  root = await login(sim.url);
  pool = (expectOk(await call('pool.get_all', root)) as string[])[0]!;
});
afterAll(() => sim?.stop());

describe('external authentication', () => {
  it('refuses a wrong domain and wrong credentials with the pool codes, and keeps no password', async () => {
    const master = [...sim.db.records('host').keys()][0];
    const lookup = await call('pool.enable_external_auth', root, pool, { user: 'Administrator', pass: 'join-secret' }, 'other.example.com', 'AD');
    expect(failure(lookup)[0]).toBe('POOL_AUTH_ENABLE_FAILED_DOMAIN_LOOKUP_FAILED');
    const wrong = await call('pool.enable_external_auth', root, pool, { user: 'Administrator', pass: 'nope' }, 'corp.example.com', 'AD');
    expect(failure(wrong).slice(0, 2)).toEqual(['POOL_AUTH_ENABLE_FAILED_WRONG_CREDENTIALS', sim.db.get('pool', pool)!.master]);
    expect(master).toBeDefined();
    expect(failure(await call('subject.create', root, { subject_identifier: 'S-1', other_config: {} }))[0]).toBe('AUTH_IS_DISABLED');
    expectOk(await call('pool.enable_external_auth', root, pool, { user: 'CORP\\Administrator', pass: 'join-secret' }, 'corp.example.com', 'AD'));
    for (const host of sim.db.records('host').values()) {
      expect(host.external_auth_type).toBe('AD');
      expect(host.external_auth_service_name).toBe('corp.example.com');
      expect(JSON.stringify(host.external_auth_configuration)).not.toContain('join-secret');
    }
    expect(failure(await call('pool.enable_external_auth', root, pool, { user: 'Administrator', pass: 'join-secret' }, 'corp.example.com', 'AD'))[0]).toBe('POOL_AUTH_ALREADY_ENABLED');
  });

  it('resolves names as the AD plugin does and makes a subject that is pool-admin until changed', async () => {
    expect(failure(await call('auth.get_subject_identifier', root, 'CORP\\nobody'))[0]).toBe('SUBJECT_CANNOT_BE_RESOLVED');
    const sid = expectOk(await call('auth.get_subject_identifier', root, 'CORP\\vm-operators')) as string;
    const info = expectOk(await call('auth.get_subject_information_from_identifier', root, sid)) as Record<string, string>;
    expect(info['subject-name']).toBe('CORP\\vm-operators');
    expect(info['subject-is-group']).toBe('true');
    const subject = expectOk(await call('subject.create', root, { subject_identifier: sid, other_config: info })) as string;
    expect(sim.db.get('subject', subject)!.roles).toEqual(['OpaqueRef:0165f154-ba3e-034e-6b27-5d271af109ba']);
    expect(failure(await call('subject.create', root, { subject_identifier: sid, other_config: info }))[0]).toBe('SUBJECT_ALREADY_EXISTS');
    const operator = (expectOk(await call('role.get_by_name_label', root, 'vm-operator')) as string[])[0]!;
    expectOk(await call('subject.add_to_roles', root, subject, operator));
    expect(failure(await call('subject.add_to_roles', root, subject, operator))[0]).toBe('ROLE_ALREADY_EXISTS');
    expectOk(await call('subject.remove_from_roles', root, subject, 'OpaqueRef:0165f154-ba3e-034e-6b27-5d271af109ba'));
    expect(sim.db.get('subject', subject)!.roles).toEqual([operator]);
  });

  it('lets a group member in with the group role, and refuses what the role may not do', async () => {
    const bad = await call('session.login_with_password', 'CORP\\alice', 'wrong', '1.0', 't');
    expect(failure(bad).slice(0, 2)).toEqual(['SESSION_AUTHENTICATION_FAILED', 'CORP\\alice']);
    const outsider = await call('session.login_with_password', 'bob@corp.example.com', 'bob-pw', '1.0', 't');
    expect(failure(outsider)[2]).toMatch(/has no access rights in this pool/);
    const alice = expectOk(await call('session.login_with_password', 'CORP\\alice', 'alice-pw', '1.0', 't')) as string;
    const permissions = expectOk(await call('session.get_rbac_permissions', alice, alice)) as string[];
    expect(permissions).toContain('vm.start');
    expect(permissions).not.toContain('vm.snapshot');
    expect(expectOk(await call('session.get_all_subject_identifiers', root))).toEqual([sim.db.get('session', alice)!.auth_user_sid]);
    const vm = [...sim.db.records('VM')].find(([, r]) => !r.is_a_template && !r.is_control_domain)![0];
    const denied = await call('VM.snapshot', alice, vm, 'not allowed');
    expect(failure(denied)).toEqual(['RBAC_PERMISSION_DENIED', 'vm.snapshot', 'No permission in user session. (Roles with this permission: pool-admin, pool-operator, vm-power-admin)']);
    expect(failure(await call('Async.VM.snapshot', alice, vm, 'not allowed'))[0]).toBe('RBAC_PERMISSION_DENIED');
    expect(expectOk(await call('VM.get_all_records', alice))).toBeTruthy();
    expectOk(await call('session.logout_subject_identifier', root, sim.db.get('session', alice)!.auth_user_sid));
    expect(failure(await call('VM.get_all', alice))[0]).toBe('SESSION_INVALID');
  });

  it('leaving the domain ends directory sessions and keeps the local superuser', async () => {
    const alice = expectOk(await call('session.login_with_password', 'CORP\\alice', 'alice-pw', '1.0', 't')) as string;
    expectOk(await call('pool.disable_external_auth', root, pool, {}));
    expect(sim.db.get('session', alice)).toBeUndefined();
    for (const host of sim.db.records('host').values()) expect(host.external_auth_type).toBe('');
    expect(failure(await call('session.login_with_password', 'CORP\\alice', 'alice-pw', '1.0', 't'))[0]).toBe('SESSION_AUTHENTICATION_FAILED');
    expect(expectOk(await call('pool.get_all', root))).toEqual([pool]);
  });
});
