// Users and access on XenServer/XCP-ng, as XenCenter's Users tab does it: the pool's
// Active Directory (pool.enable/disable_external_auth), subjects resolved through the
// directory (auth.get_subject_identifier, get_subject_information_from_identifier) and
// given exactly one RBAC role, their open sessions (get_all_subject_identifiers,
// logout_subject_identifier). The session's own access comes from its record: the local
// superuser may do anything; anyone else holds session.rbac_permissions, and each
// Polyvisor operation is denied where the xapi permission it needs is missing.

import type { AccessOperation, AccessOverview, AccessRole, AccessSubject, DomainJoin, SessionAccess } from '../../../../shared/access';
import { PolyvisorError } from '../../../../shared/errors';
import type { ProviderAccess } from '../provider-access';
import type { ActionContext } from './actions';
import { isRef, str, type XapiRecord } from './records';
import type { XapiSession } from './session';

/** The xapi permission (lower-case class.message) each operation needs, as the provider's calls make them. */
const NEEDS: Record<AccessOperation, string> = {
  start: 'vm.start',
  shutdown: 'vm.clean_shutdown',
  force_shutdown: 'vm.hard_shutdown',
  reboot: 'vm.clean_reboot',
  force_reboot: 'vm.hard_reboot',
  suspend: 'vm.suspend',
  resume: 'vm.resume',
  pause: 'vm.pause',
  unpause: 'vm.unpause',
  snapshot_create: 'vm.snapshot',
  snapshot_revert: 'vm.revert',
  snapshot_delete: 'vm.destroy',
  snapshot_edit: 'vm.set_name_label',
  snapshot_clone: 'vm.clone',
  snapshot_template: 'vm.clone',
  clone: 'vm.clone',
  to_template: 'vm.set_is_a_template',
  to_vm: 'vm.set_is_a_template',
  destroy: 'vm.destroy',
  migrate: 'vm.pool_migrate',
  maintenance_enter: 'host.disable',
  maintenance_exit: 'host.enable',
  evacuate: 'host.evacuate',
  host_reboot: 'host.reboot',
  host_shutdown: 'host.shutdown',
  host_power_on: 'host.power_on',
  pool_join: 'pool.join',
  pool_eject: 'pool.eject',
  access_manage: 'subject.create',
  guest_create: 'vm.provision',
  guest_configure: 'vm.set_name_label',
  storage_rescan: 'sr.scan',
  disk_move: 'vdi.pool_migrate',
  policy_manage: 'vmss.create',
};

/** The roles XenCenter offers, highest first (xapi's internal ones are not given to subjects). */
const ROLE_ORDER = ['pool-admin', 'pool-operator', 'vm-power-admin', 'vm-admin', 'vm-operator', 'read-only'];

const ACCOUNT_PROBLEMS = [
  ['subject-account-disabled', 'disabled'],
  ['subject-account-locked', 'locked'],
  ['subject-account-expired', 'expired'],
] as const;

export class XapiAccess implements ProviderAccess {
  private current: SessionAccess | undefined;

  constructor(private readonly ctx: ActionContext) {}

  session(): SessionAccess | undefined {
    return this.current;
  }

  /** Reads what the session may do (at each login: a role change takes effect at the next one, as in xapi). */
  async load(session: XapiSession): Promise<void> {
    const record = await session.call<XapiRecord>('session.get_record', session.ref);
    const user = str(record.auth_user_name);
    if (record.is_local_superuser === true) {
      this.current = { user, superuser: true, roles: ['pool-admin'], permissions: [], denied: {} };
      return;
    }
    const permissions = Array.isArray(record.rbac_permissions) ? record.rbac_permissions.map(String) : [];
    const roles = isRef(record.subject) ? await this.roleNames(session, await session.call<string[]>('subject.get_roles', record.subject)) : [];
    const held = new Set(permissions);
    const denied: SessionAccess['denied'] = {};
    for (const [operation, permission] of Object.entries(NEEDS) as Array<[AccessOperation, string]>) if (!held.has(permission)) denied[operation] = permission;
    this.current = { user, superuser: false, roles, permissions, denied };
  }

  async overview(): Promise<Omit<AccessOverview, 'serverId'>> {
    const session = this.ctx.session();
    const [master, subjects, roles, loggedIn] = await Promise.all([
      this.master(session),
      session.call<Record<string, XapiRecord>>('subject.get_all_records'),
      session.call<Record<string, XapiRecord>>('role.get_all_records'),
      session.call<string[]>('session.get_all_subject_identifiers'),
    ]);
    await this.load(session);
    const roleName = (ref: string) => str(roles[ref]?.name_label);
    const type = str(master.external_auth_type);
    const config = master.external_auth_configuration as Record<string, string> | undefined;
    return {
      directory: type ? { type, domain: str(master.external_auth_service_name), ...(config?.user ? { joinedAs: config.user } : {}) } : null,
      subjects: Object.entries(subjects).map(([ref, s]) => toSubject(ref, s, roleName, new Set(loggedIn))).sort((a, b) => a.name.localeCompare(b.name)),
      roles: offeredRoles(roles),
      session: this.current!,
    };
  }

  async joinDomain(join: DomainJoin): Promise<void> {
    const session = this.ctx.session();
    const pool = await this.poolRef(session);
    try {
      await session.call('pool.enable_external_auth', pool, { user: join.user, pass: join.password }, join.domain, 'AD');
    } catch (err) {
      throw withoutSecret(err, join.password);
    }
  }

  async leaveDomain(): Promise<void> {
    const session = this.ctx.session();
    await session.call('pool.disable_external_auth', await this.poolRef(session), {});
  }

  async addSubject(name: string, role: string): Promise<void> {
    const session = this.ctx.session();
    const roleRef = await this.roleRef(session, role);
    const sid = await session.call<string>('auth.get_subject_identifier', name);
    const info = await session.call<Record<string, string>>('auth.get_subject_information_from_identifier', sid);
    const ref = await session.call<string>('subject.create', { subject_identifier: sid, other_config: info });
    await this.giveOnly(session, ref, roleRef);
  }

  async setRole(subjectId: string, role: string): Promise<void> {
    const session = this.ctx.session();
    await this.giveOnly(session, subjectId, await this.roleRef(session, role));
  }

  async removeSubject(subjectId: string): Promise<void> {
    await this.ctx.session().call('subject.destroy', subjectId);
  }

  async logout(subjectId: string): Promise<void> {
    const session = this.ctx.session();
    const sid = await session.call<string>('subject.get_subject_identifier', subjectId);
    await session.call('session.logout_subject_identifier', sid);
  }

  /** XenCenter's role change: the new role added, then every other one taken away. */
  private async giveOnly(session: XapiSession, subjectRef: string, roleRef: string): Promise<void> {
    const current = await session.call<string[]>('subject.get_roles', subjectRef);
    if (!current.includes(roleRef)) await session.call('subject.add_to_roles', subjectRef, roleRef);
    for (const other of current) if (other !== roleRef) await session.call('subject.remove_from_roles', subjectRef, other);
  }

  private async roleRef(session: XapiSession, name: string): Promise<string> {
    const refs = await session.call<string[]>('role.get_by_name_label', name);
    if (!refs[0] || !ROLE_ORDER.includes(name)) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'role', message: `The pool has no role ${JSON.stringify(name)}; it has ${ROLE_ORDER.join(', ')}.` });
    return refs[0];
  }

  private async roleNames(session: XapiSession, refs: string[]): Promise<string[]> {
    const names = await Promise.all(refs.map((ref) => session.call<string>('role.get_name_label', ref)));
    return names.sort((a, b) => rank(a) - rank(b));
  }

  private async poolRef(session: XapiSession): Promise<string> {
    const pools = await session.call<string[]>('pool.get_all');
    if (!pools[0]) throw new PolyvisorError({ code: 'SERVER_ERROR', message: 'The server has no pool record.' });
    return pools[0];
  }

  private async master(session: XapiSession): Promise<XapiRecord> {
    const pool = await session.call<XapiRecord>('pool.get_record', await this.poolRef(session));
    if (!isRef(pool.master)) throw new PolyvisorError({ code: 'SERVER_ERROR', message: 'The pool did not say which host is its master.' });
    return session.call<XapiRecord>('host.get_record', pool.master);
  }
}

function rank(role: string): number {
  const i = ROLE_ORDER.indexOf(role);
  return i < 0 ? ROLE_ORDER.length : i;
}

function offeredRoles(roles: Record<string, XapiRecord>): AccessRole[] {
  return Object.values(roles)
    .filter((r) => r.is_internal !== true && ROLE_ORDER.includes(str(r.name_label)))
    .map((r) => ({ name: str(r.name_label), description: str(r.name_description) }))
    .sort((a, b) => rank(a.name) - rank(b.name));
}

function toSubject(ref: string, s: XapiRecord, roleName: (ref: string) => string, loggedIn: Set<string>): AccessSubject {
  const info = (s.other_config ?? {}) as Record<string, string>;
  const identifier = str(s.subject_identifier);
  const problem = ACCOUNT_PROBLEMS.find(([key]) => info[key]?.toUpperCase() === 'TRUE')?.[1];
  const display = info['subject-displayname'] ?? info['subject-gecos'];
  return {
    id: ref,
    identifier,
    name: info['subject-name'] ?? identifier,
    kind: info['subject-is-group']?.toLowerCase() === 'true' ? 'group' : 'user',
    ...(display ? { displayName: display } : {}),
    roles: (Array.isArray(s.roles) ? s.roles.map(String) : []).map(roleName).filter(Boolean).sort((a, b) => rank(a) - rank(b)),
    loggedIn: loggedIn.has(identifier),
    ...(problem ? { accountProblem: problem } : {}),
  };
}

/** A refusal of the join with any echo of the password taken out (directory plugins may repeat what they were sent). */
function withoutSecret(err: unknown, secret: string): unknown {
  if (!(err instanceof PolyvisorError) || !secret) return err;
  const scrub = (text: string) => text.split(secret).join('***');
  const info = err.info;
  return new PolyvisorError({ ...info, message: scrub(info.message), ...(info.serverParams ? { serverParams: info.serverParams.map(scrub) } : {}) });
}
