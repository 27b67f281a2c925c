// /access: realms, users, groups, roles, the ACL and a user's effective permissions, as
// pve-api-schema.json declares them (schema.test.ts checks the parameters). Lists and
// booleans travel as PVE sends them: comma-separated strings and 0/1.
import { BUILTIN_ROLES, REALMS, type AccessState } from './access-state';
import { SimHttpError } from './guest-ops';
import type { Route, RouteContext } from './route-kit';

const opt = { optional: true } as const;
const csv = (v: unknown) => (v === undefined ? [] : String(v).split(/[,;\s]+/).filter(Boolean));

function accessOf(ctx: RouteContext): AccessState {
  return ctx.state.access;
}

/** GET /access/permissions: every path the ACL names (and PVE's usual roots) where the user holds something, each privilege with its propagate flag. */
function effective(access: AccessState, user: string, only?: string): Record<string, Record<string, number>> {
  const paths = only ? [only] : [...new Set(['/', '/access', '/access/groups', '/nodes', '/storage', '/vms', ...access.acl.map((e) => e.path)])];
  const out: Record<string, Record<string, number>> = {};
  for (const p of paths) {
    const privs = access.privileges(user, p);
    if (privs.size) out[p] = Object.fromEntries([...privs].map((priv) => [priv, 1]));
  }
  return out;
}

export const ACCESS_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/access/domains',
    params: {},
    public: true,
    handler: () => REALMS.map((r) => ({ ...r })),
  },
  {
    method: 'GET',
    path: '/access/users',
    params: { enabled: { type: 'boolean', ...opt }, full: { type: 'boolean', ...opt } },
    handler: (ctx) =>
      [...accessOf(ctx).users.values()].map((u) => ({
        userid: u.userid,
        enable: u.enable ? 1 : 0,
        expire: 0,
        ...(u.groups.length ? { groups: u.groups.join(',') } : {}),
        ...(u.comment ? { comment: u.comment } : {}),
        ...(u.firstname ? { firstname: u.firstname } : {}),
        'realm-type': u.userid.slice(u.userid.lastIndexOf('@') + 1),
      })),
  },
  {
    method: 'POST',
    path: '/access/users',
    params: {
      comment: { type: 'string', maxLength: 2048, ...opt },
      email: { type: 'string', format: 'email-opt', maxLength: 254, ...opt },
      enable: { type: 'boolean', ...opt },
      expire: { type: 'integer', minimum: 0, ...opt },
      firstname: { type: 'string', maxLength: 1024, ...opt },
      groups: { type: 'string', format: 'pve-groupid-list', ...opt },
      keys: { type: 'string', pattern: '[0-9a-zA-Z!=]{0,4096}', ...opt },
      lastname: { type: 'string', maxLength: 1024, ...opt },
      password: { type: 'string', maxLength: 64, ...opt },
      userid: { type: 'string', format: 'pve-userid', maxLength: 64 },
    },
    handler(ctx) {
      const access = accessOf(ctx);
      const userid = String(ctx.params.userid);
      if (!/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/.test(userid)) throw new SimHttpError(400, 'Parameter verification failed.', { userid: `value '${userid}' does not look like a valid user name` });
      if (access.users.has(userid)) throw new SimHttpError(500, `create user failed: user '${userid}' already exists`);
      const groups = csv(ctx.params.groups);
      const unknown = groups.find((g) => !access.groups.has(g));
      if (unknown) throw new SimHttpError(500, `create user failed: no such group '${unknown}'`);
      const password = ctx.params.password === undefined ? undefined : String(ctx.params.password);
      if (password !== undefined && password.length < 8) throw new SimHttpError(400, 'Parameter verification failed.', { password: 'value must have at least 8 characters' });
      access.users.set(userid, { userid, password, groups, enable: ctx.params.enable !== false, comment: ctx.params.comment as string | undefined, firstname: ctx.params.firstname as string | undefined });
      return null;
    },
  },
  {
    method: 'GET',
    path: '/access/groups',
    params: {},
    handler(ctx) {
      const access = accessOf(ctx);
      return [...access.groups].map(([groupid, g]) => ({
        groupid,
        users: [...access.users.values()].filter((u) => u.groups.includes(groupid)).map((u) => u.userid).join(','),
        ...(g.comment ? { comment: g.comment } : {}),
      }));
    },
  },
  {
    method: 'POST',
    path: '/access/groups',
    params: { comment: { type: 'string', ...opt }, groupid: { type: 'string', format: 'pve-groupid' } },
    handler(ctx) {
      const access = accessOf(ctx);
      const groupid = String(ctx.params.groupid);
      if (access.groups.has(groupid)) throw new SimHttpError(500, `create group failed: group '${groupid}' already exists`);
      access.groups.set(groupid, { comment: ctx.params.comment as string | undefined });
      return null;
    },
  },
  {
    method: 'GET',
    path: '/access/roles',
    params: {},
    handler: () => Object.entries(BUILTIN_ROLES).map(([roleid, privs]) => ({ roleid, privs: privs.join(','), special: 1 })),
  },
  {
    method: 'GET',
    path: '/access/acl',
    params: {},
    handler: (ctx) => accessOf(ctx).acl.map((e) => ({ path: e.path, type: e.type, ugid: e.ugid, roleid: e.roleid, propagate: e.propagate ? 1 : 0 })),
  },
  {
    method: 'PUT',
    path: '/access/acl',
    params: {
      delete: { type: 'boolean', ...opt },
      groups: { type: 'string', format: 'pve-groupid-list', ...opt },
      path: { type: 'string' },
      propagate: { type: 'boolean', ...opt },
      roles: { type: 'string', format: 'pve-roleid-list' },
      tokens: { type: 'string', format: 'pve-tokenid-list', ...opt },
      users: { type: 'string', format: 'pve-userid-list', ...opt },
    },
    handler(ctx) {
      const access = accessOf(ctx);
      const path = String(ctx.params.path);
      const roles = csv(ctx.params.roles);
      const badRole = roles.find((r) => !BUILTIN_ROLES[r]);
      if (badRole) throw new SimHttpError(500, `role '${badRole}' does not exist`);
      const subjects = [...csv(ctx.params.users).map((u) => ['user', u] as const), ...csv(ctx.params.groups).map((g) => ['group', g] as const)];
      for (const [type, ugid] of subjects) {
        if (type === 'user' && !access.users.has(ugid)) throw new SimHttpError(500, `user '${ugid}' does not exist`);
        if (type === 'group' && !access.groups.has(ugid)) throw new SimHttpError(500, `group '${ugid}' does not exist`);
        for (const roleid of roles) {
          access.acl = access.acl.filter((e) => !(e.path === path && e.type === type && e.ugid === ugid && e.roleid === roleid));
          if (!ctx.params.delete) access.acl.push({ path, type, ugid, roleid, propagate: ctx.params.propagate !== false });
        }
      }
      return null;
    },
  },
  {
    method: 'GET',
    path: '/access/permissions',
    params: { path: { type: 'string', ...opt }, userid: { type: 'string', pattern: '(?^:^(?^:[^\\s:/]+)\\@(?^:[A-Za-z][A-Za-z0-9\\.\\-_]+)(?:!(?^:[A-Za-z][A-Za-z0-9\\.\\-_]+))?$)', ...opt } },
    handler(ctx) {
      const user = ctx.identity?.user ?? 'root@pam';
      return effective(accessOf(ctx), user, ctx.params.path === undefined ? undefined : String(ctx.params.path));
    },
  },
];

