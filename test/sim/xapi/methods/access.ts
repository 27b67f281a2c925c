// Users and access (issue 16): external authentication (pool.enable/disable_external_auth
// with auth_type AD against the test's directory), the auth class's name resolution,
// subjects and their roles, role permissions, and the sessions of directory users
// (get_all_subject_identifiers, logout_subject_identifier). Errors as xapi raises them
// (Xapi_pool, Xapi_subject, Xapi_auth, Xapi_session).
import type { Param, SimCore } from '../core';
import { entryBySid, groupSids, resolveName, subjectInformation, type DirectoryEntry, type SimDirectory } from '../directory';
import { XapiFailure } from '../failure';
import { roleRef, rolePermissions } from '../rbac';

const SESSION: Param = ['session ref', 'session_id'];

function authType(core: SimCore): string {
  const master = core.db.get('host', core.masterHost());
  return String(master?.external_auth_type ?? '');
}

/** The directory while the pool is joined to it; AUTH_IS_DISABLED otherwise (Xapi_auth). */
function joinedDirectory(core: SimCore): SimDirectory {
  const dir = core.opts.directory;
  if (authType(core) === '' || !dir) throw new XapiFailure('AUTH_IS_DISABLED');
  return dir;
}

/** The directory and its entry for a SID; SUBJECT_CANNOT_BE_RESOLVED when the directory has none. */
function knownSubject(core: SimCore, sid: string): [SimDirectory, DirectoryEntry] {
  const dir = joinedDirectory(core);
  const entry = entryBySid(dir, sid);
  if (!entry) throw new XapiFailure('SUBJECT_CANNOT_BE_RESOLVED');
  return [dir, entry];
}

export function registerAccessMethods(core: SimCore): void {
  core.register({
    name: 'pool.enable_external_auth',
    params: [SESSION, ['pool ref', 'pool'], ['(string -> string) map', 'config'], ['string', 'service_name'], ['string', 'auth_type']],
    errors: ['POOL_AUTH_ALREADY_ENABLED', 'AUTH_UNKNOWN_TYPE', 'POOL_AUTH_ENABLE_FAILED', 'POOL_AUTH_ENABLE_FAILED_WRONG_CREDENTIALS', 'POOL_AUTH_ENABLE_FAILED_DOMAIN_LOOKUP_FAILED'],
    run: ({ core }, [, , config, serviceName, type]) => {
      const hosts = [...core.db.records('host').keys()];
      const enabled = hosts.find((h) => core.db.get('host', h)!.external_auth_type !== '');
      if (enabled) throw new XapiFailure('POOL_AUTH_ALREADY_ENABLED', enabled);
      if (type !== 'AD') throw new XapiFailure('AUTH_UNKNOWN_TYPE', String(type));
      const master = core.masterHost();
      const { user, pass, ...kept } = config as Record<string, string>;
      if (!user || pass === undefined) throw new XapiFailure('POOL_AUTH_ENABLE_FAILED', master, 'enable requires two config params: user and pass');
      const dir = core.opts.directory;
      const domain = String(serviceName);
      if (!dir || dir.domain.toLowerCase() !== domain.toLowerCase()) {
        throw new XapiFailure('POOL_AUTH_ENABLE_FAILED_DOMAIN_LOOKUP_FAILED', master, `Failed to lookup domain controller for domain ${domain}`);
      }
      if (!sameAccount(dir, user) || pass !== dir.joinPassword) {
        throw new XapiFailure('POOL_AUTH_ENABLE_FAILED_WRONG_CREDENTIALS', master, 'The username or password is wrong.');
      }
      // the password never lands in the database: xapi keeps the configuration without it
      for (const h of hosts) core.db.update('host', h, { external_auth_type: 'AD', external_auth_service_name: dir.domain, external_auth_configuration: { ...kept, user, domain: dir.domain } });
      return undefined;
    },
  });

  core.register({
    name: 'pool.disable_external_auth',
    params: [SESSION, ['pool ref', 'pool'], ['(string -> string) map', 'config']],
    errors: [],
    run: ({ core }) => {
      for (const h of core.db.records('host').keys()) core.db.update('host', h, { external_auth_type: '', external_auth_service_name: '', external_auth_configuration: {} });
      // directory users can no longer log in: their sessions end (subjects stay, as in xapi)
      for (const [ref, s] of [...core.db.records('session')]) if (!s.is_local_superuser) core.db.remove('session', ref);
      return undefined;
    },
  });

  core.register({
    name: 'auth.get_subject_identifier',
    params: [SESSION, ['string', 'subject_name']],
    errors: ['AUTH_IS_DISABLED', 'SUBJECT_CANNOT_BE_RESOLVED'],
    run: ({ core }, [, name]) => {
      const entry = resolveName(joinedDirectory(core), String(name));
      if (!entry) throw new XapiFailure('SUBJECT_CANNOT_BE_RESOLVED');
      return entry.sid;
    },
  });

  core.register({
    name: 'auth.get_subject_information_from_identifier',
    params: [SESSION, ['string', 'subject_identifier']],
    errors: ['AUTH_IS_DISABLED', 'SUBJECT_CANNOT_BE_RESOLVED'],
    run: ({ core }, [, sid]) => subjectInformation(...knownSubject(core, String(sid))),
  });

  core.register({
    name: 'auth.get_group_membership',
    params: [SESSION, ['string', 'subject_identifier']],
    errors: ['AUTH_IS_DISABLED', 'SUBJECT_CANNOT_BE_RESOLVED'],
    run: ({ core }, [, sid]) => groupSids(...knownSubject(core, String(sid))),
  });

  core.register({
    name: 'subject.create',
    params: [SESSION, ['subject record', 'args']],
    errors: ['AUTH_IS_DISABLED', 'SUBJECT_ALREADY_EXISTS'],
    run: ({ core }, [, args]) => {
      joinedDirectory(core);
      const rec = args as { subject_identifier?: string; other_config?: Record<string, string> };
      const sid = String(rec.subject_identifier ?? '');
      for (const s of core.db.records('subject').values()) if (s.subject_identifier === sid) throw new XapiFailure('SUBJECT_ALREADY_EXISTS');
      // a new subject is a pool administrator until its roles are changed (Xapi_subject.create)
      return core.db.add('subject', { subject_identifier: sid, other_config: { ...(rec.other_config ?? {}) }, roles: [roleRef('pool-admin')] });
    },
  });

  core.register({
    name: 'subject.add_to_roles',
    params: [SESSION, ['subject ref', 'self'], ['role ref', 'role']],
    errors: ['ROLE_ALREADY_EXISTS'],
    run: ({ core }, [, self, role]) => {
      const roles = core.db.get('subject', self as string)!.roles as string[];
      if (roles.includes(role as string)) throw new XapiFailure('ROLE_ALREADY_EXISTS');
      core.db.set('subject', self as string, 'roles', [...roles, role as string]);
      return undefined;
    },
  });

  core.register({
    name: 'subject.remove_from_roles',
    params: [SESSION, ['subject ref', 'self'], ['role ref', 'role']],
    errors: ['ROLE_NOT_FOUND'],
    run: ({ core }, [, self, role]) => {
      const roles = core.db.get('subject', self as string)!.roles as string[];
      if (!roles.includes(role as string)) throw new XapiFailure('ROLE_NOT_FOUND');
      core.db.set('subject', self as string, 'roles', roles.filter((r) => r !== role));
      return undefined;
    },
  });

  core.register({
    name: 'subject.destroy',
    params: [SESSION, ['subject ref', 'self']],
    errors: [],
    run: ({ core }, [, self]) => {
      core.db.remove('subject', self as string);
      return undefined;
    },
  });

  for (const message of ['get_permissions_name_label', 'get_permissions'] as const) {
    core.register({
      name: `role.${message}`,
      params: [SESSION, ['role ref', 'self']],
      errors: [],
      // permissions are not role records here: get_permissions answers their names too
      run: ({ core }, [, self]) => rolePermissions(core.model, String(core.db.get('role', self as string)!.name_label)),
    });
  }

  core.register({
    name: 'session.get_all_subject_identifiers',
    params: [SESSION],
    errors: [],
    run: ({ core }) => [...new Set([...core.db.records('session').values()].filter((s) => !s.is_local_superuser && s.auth_user_sid).map((s) => String(s.auth_user_sid)))],
  });

  core.register({
    name: 'session.logout_subject_identifier',
    params: [SESSION, ['string', 'subject_identifier']],
    errors: [],
    run: ({ core, session }, [, sid]) => {
      for (const [ref, s] of [...core.db.records('session')]) {
        if (ref !== session && !s.is_local_superuser && s.auth_user_sid === sid) core.db.remove('session', ref);
      }
      return undefined;
    },
  });
}

function sameAccount(dir: SimDirectory, user: string): boolean {
  const entry = resolveName(dir, user);
  return !!entry && entry.name.toLowerCase() === dir.joinUser.toLowerCase();
}

/**
 * Xapi_session.login_with_password for a directory user: authenticated by the directory,
 * let in when the user or one of its groups is a subject, with the union of those subjects'
 * roles' permissions. Returns the new session's fields.
 */
export function externalLogin(core: SimCore, uname: string, pwd: string, origin: string): Record<string, unknown> {
  const dir = core.opts.directory!;
  const entry = resolveName(dir, uname);
  if (!entry || entry.kind !== 'user' || entry.user!.password !== pwd) {
    throw new XapiFailure('SESSION_AUTHENTICATION_FAILED', uname, `Failed to authenticate user ${uname}: wrong user name or password`);
  }
  if (entry.user!.disabled) throw new XapiFailure('SESSION_AUTHENTICATION_FAILED', uname, `User ${uname} (subject_id ${entry.sid}, from ${origin}) suspended in external directory`);
  const closure = new Set([entry.sid, ...groupSids(dir, entry)]);
  const matched = [...core.db.records('subject')].filter(([, s]) => closure.has(String(s.subject_identifier)));
  if (matched.length === 0) throw new XapiFailure('SESSION_AUTHENTICATION_FAILED', uname, `Subject ${uname} (identifier ${entry.sid}, from ${origin}) has no access rights in this pool`);
  const permissions = new Set<string>();
  for (const [, s] of matched) {
    for (const role of s.roles as string[]) for (const p of rolePermissions(core.model, String(core.db.get('role', role)?.name_label ?? ''))) permissions.add(p);
  }
  if (permissions.size === 0) throw new XapiFailure('RBAC_PERMISSION_DENIED', 'session.login_with_password', `Subject ${uname} (identifier ${entry.sid}) has no roles in this pool`);
  return { is_local_superuser: false, subject: matched[0]![0], auth_user_sid: entry.sid, auth_user_name: uname, rbac_permissions: [...permissions] };
}

