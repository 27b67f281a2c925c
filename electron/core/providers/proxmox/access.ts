// Users and permissions on Proxmox VE: what the logged-in user may do comes from GET
// /access/permissions (its effective privileges per path, each with its propagate flag),
// read at each login; an operation is denied where the privilege PVE checks for it is
// missing on the object's path (/vms/<vmid>, /nodes/<node>), the server-wide answer taken
// on /vms and /nodes. The Users tab lists users and groups with their ACL entries; adding
// one or changing its role is an ACL entry on / (PUT /access/acl), removing it deletes
// its entries (the account stays, as in PVE's Permissions panel).

import type { AccessOperation, AccessOverview, AccessSubject, SessionAccess } from '../../../../shared/access';
import { PolyvisorError } from '../../../../shared/errors';
import type { ProviderAccess } from '../provider-access';
import type { ClusterCache } from './cluster-cache';
import type { PveClient } from './client';
import { guestId, hostId } from './model-map';

/** The privilege PVE's permission check names for each operation (pve-api-schema.json). */
const NEEDS: Record<AccessOperation, { on: 'vm' | 'node' | 'root'; priv: string }> = {
  start: { on: 'vm', priv: 'VM.PowerMgmt' },
  shutdown: { on: 'vm', priv: 'VM.PowerMgmt' },
  force_shutdown: { on: 'vm', priv: 'VM.PowerMgmt' },
  reboot: { on: 'vm', priv: 'VM.PowerMgmt' },
  force_reboot: { on: 'vm', priv: 'VM.PowerMgmt' },
  suspend: { on: 'vm', priv: 'VM.PowerMgmt' },
  resume: { on: 'vm', priv: 'VM.PowerMgmt' },
  pause: { on: 'vm', priv: 'VM.PowerMgmt' },
  unpause: { on: 'vm', priv: 'VM.PowerMgmt' },
  snapshot_create: { on: 'vm', priv: 'VM.Snapshot' },
  snapshot_revert: { on: 'vm', priv: 'VM.Snapshot.Rollback' },
  snapshot_delete: { on: 'vm', priv: 'VM.Snapshot' },
  snapshot_edit: { on: 'vm', priv: 'VM.Snapshot' },
  snapshot_clone: { on: 'vm', priv: 'VM.Clone' },
  snapshot_template: { on: 'vm', priv: 'VM.Allocate' },
  clone: { on: 'vm', priv: 'VM.Clone' },
  to_template: { on: 'vm', priv: 'VM.Allocate' },
  to_vm: { on: 'vm', priv: 'VM.Allocate' },
  destroy: { on: 'vm', priv: 'VM.Allocate' },
  migrate: { on: 'vm', priv: 'VM.Migrate' },
  guest_configure: { on: 'vm', priv: 'VM.Config.Options' },
  disk_move: { on: 'vm', priv: 'VM.Config.Disk' },
  policy_manage: { on: 'vm', priv: 'VM.Snapshot' },
  guest_create: { on: 'vm', priv: 'VM.Allocate' },
  maintenance_enter: { on: 'node', priv: 'Sys.Modify' },
  maintenance_exit: { on: 'node', priv: 'Sys.Modify' },
  evacuate: { on: 'node', priv: 'VM.Migrate' },
  host_reboot: { on: 'node', priv: 'Sys.PowerMgmt' },
  host_shutdown: { on: 'node', priv: 'Sys.PowerMgmt' },
  host_power_on: { on: 'node', priv: 'Sys.PowerMgmt' },
  pool_join: { on: 'root', priv: 'Sys.Modify' },
  pool_eject: { on: 'root', priv: 'Sys.Modify' },
  storage_rescan: { on: 'root', priv: 'Datastore.Audit' },
  access_manage: { on: 'root', priv: 'Permissions.Modify' },
};

type Permissions = Record<string, Record<string, number>>;
interface AclEntry { path: string; type: string; ugid: string; roleid: string; propagate: number }

const asList = <T>(data: unknown, where: string): T[] => {
  if (!Array.isArray(data)) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${where} did not answer with a list.` });
  return data as T[];
};
const asPermissions = (data: unknown, where: string): Permissions => {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new PolyvisorError({ code: 'SERVER_ERROR', message: `${where} did not answer with a map of paths.` });
  return data as Permissions;
};
const ignore = () => null;

/** The privileges held on `path`: the nearest listed path decides, a parent only with what propagates. */
export function privilegesAt(perms: Permissions, path: string): Set<string> {
  const parts = path.split('/').filter(Boolean);
  for (let i = parts.length; i >= 0; i--) {
    const at = i === 0 ? '/' : `/${parts.slice(0, i).join('/')}`;
    const here = perms[at];
    if (!here) continue;
    return new Set(Object.entries(here).filter(([, propagate]) => i === parts.length || propagate === 1).map(([priv]) => priv));
  }
  return new Set();
}

export class ProxmoxAccess implements ProviderAccess {
  private current: SessionAccess | undefined;

  constructor(
    private readonly deps: { client: PveClient; serverId: string; cache: () => ClusterCache; user: () => string },
  ) {}

  session(): SessionAccess | undefined {
    return this.current;
  }

  async load(): Promise<void> {
    const [perms, roles] = await Promise.all([
      this.deps.client.get('/access/permissions', asPermissions),
      this.deps.client.get('/access/roles', (d, w) => asList<{ roleid: string; privs?: string }>(d, w)),
    ]);
    const user = this.deps.user();
    const superuser = user === 'root@pam';
    const deniedAt = (path: string, on: 'vm' | 'node' | 'root') => {
      const held = privilegesAt(perms, path);
      const out: SessionAccess['denied'] = {};
      for (const [op, need] of Object.entries(NEEDS) as Array<[AccessOperation, (typeof NEEDS)[AccessOperation]]>) if (need.on === on && !held.has(need.priv)) out[op] = `${need.priv} on ${path}`;
      return out;
    };
    const denied = superuser ? {} : { ...deniedAt('/vms', 'vm'), ...deniedAt('/nodes', 'node'), ...deniedAt('/', 'root') };
    const deniedOn: NonNullable<SessionAccess['deniedOn']> = {};
    // an object's own answer where it differs from the server-wide one (an ACL entry on /vms/100)
    const own = (id: string, path: string, on: 'vm' | 'node') => {
      const mine = { ...withoutKind(denied, on), ...deniedAt(path, on) };
      // the same operations denied as server-wide: no entry of its own (a large cluster's view stays small)
      if (Object.keys(mine).sort().join() !== Object.keys(denied).sort().join()) deniedOn[id] = mine;
    };
    if (!superuser) {
      const cache = this.deps.cache();
      for (const ref of cache.guestRefs()) {
        const g = cache.guest(ref);
        if (g) own(guestId(this.deps.serverId, g), `/vms/${g.vmid}`, 'vm');
      }
      for (const h of cache.hostFacts()) own(hostId(this.deps.serverId, h.name), `/nodes/${h.name}`, 'node');
    }
    this.current = {
      user,
      superuser,
      roles: superuser ? ['Administrator'] : rolesOf(perms, roles),
      permissions: Object.entries(perms).flatMap(([path, privs]) => Object.keys(privs).map((p) => `${p} on ${path}`)),
      denied,
      ...(Object.keys(deniedOn).length ? { deniedOn } : {}),
    };
  }

  async overview(): Promise<Omit<AccessOverview, 'serverId'>> {
    const client = this.deps.client;
    const [users, groups, acl, roles] = await Promise.all([
      client.get('/access/users', (d, w) => asList<{ userid: string; firstname?: string; comment?: string; enable?: number }>(d, w)),
      client.get('/access/groups', (d, w) => asList<{ groupid: string }>(d, w)),
      client.get('/access/acl', (d, w) => asList<AclEntry>(d, w)),
      client.get('/access/roles', (d, w) => asList<{ roleid: string; privs?: string }>(d, w)),
    ]);
    await this.load();
    const entriesOf = (type: string, id: string) => acl.filter((e) => e.type === type && e.ugid === id).map((e) => (e.path === '/' ? e.roleid : `${e.roleid} (${e.path})`));
    const subjects: AccessSubject[] = [
      ...users.map((u): AccessSubject => ({ id: `user:${u.userid}`, identifier: u.userid, name: u.userid, kind: 'user', ...(u.firstname ? { displayName: u.firstname } : {}), roles: entriesOf('user', u.userid), loggedIn: false, ...(u.enable === 0 ? { accountProblem: 'disabled' as const } : {}) })),
      ...groups.map((g): AccessSubject => ({ id: `group:${g.groupid}`, identifier: g.groupid, name: g.groupid, kind: 'group', roles: entriesOf('group', g.groupid), loggedIn: false })),
    ];
    return { directory: null, subjects, roles: roles.map((r) => ({ name: r.roleid, description: (r.privs ?? '').split(',').filter(Boolean).join(', ') })), session: this.current! };
  }

  joinDomain(): Promise<void> {
    return Promise.reject(new PolyvisorError({ code: 'UNSUPPORTED', message: 'Proxmox VE adds a directory as a realm, not by joining a domain.' }));
  }

  leaveDomain(): Promise<void> {
    return this.joinDomain();
  }

  async addSubject(name: string, role: string): Promise<void> {
    const [type, id] = name.includes('@') ? ['users', name] : ['groups', name];
    await this.deps.client.put('/access/acl', ignore, { path: '/', roles: role, [type]: id });
  }

  async setRole(subjectId: string, role: string): Promise<void> {
    await this.removeSubject(subjectId, '/');
    const [type, id] = splitSubject(subjectId);
    await this.deps.client.put('/access/acl', ignore, { path: '/', roles: role, [`${type}s`]: id });
  }

  /** Deletes the subject's ACL entries (on one path, or everywhere). */
  async removeSubject(subjectId: string, onlyPath?: string): Promise<void> {
    const [type, id] = splitSubject(subjectId);
    const acl = await this.deps.client.get('/access/acl', (d, w) => asList<AclEntry>(d, w));
    for (const e of acl.filter((x) => x.type === type && x.ugid === id && (!onlyPath || x.path === onlyPath))) {
      await this.deps.client.put('/access/acl', ignore, { path: e.path, roles: e.roleid, [`${type}s`]: id, delete: 1 });
    }
  }

  logout(): Promise<void> {
    return Promise.reject(new PolyvisorError({ code: 'UNSUPPORTED', message: 'Proxmox VE has no call that ends another user’s sessions.' }));
  }
}

function splitSubject(subjectId: string): ['user' | 'group', string] {
  const colon = subjectId.indexOf(':');
  const type = subjectId.slice(0, colon);
  if (type !== 'user' && type !== 'group') throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'subjectId', message: `Not a user or group of this server: ${subjectId}` });
  return [type, subjectId.slice(colon + 1)];
}

/** The server-wide denials without those checked on this kind of object. */
function withoutKind(denied: SessionAccess['denied'], on: 'vm' | 'node'): SessionAccess['denied'] {
  return Object.fromEntries(Object.entries(denied).filter(([op]) => NEEDS[op as AccessOperation].on !== on));
}

/** The built-in roles whose privileges equal what the user holds on a path (PVE does not tell a user its own ACL). */
function rolesOf(perms: Permissions, roles: Array<{ roleid: string; privs?: string }>): string[] {
  const out = new Set<string>();
  for (const privs of Object.values(perms)) {
    const held = Object.keys(privs).sort().join(',');
    const role = roles.find((r) => (r.privs ?? '').split(',').filter(Boolean).sort().join(',') === held);
    if (role) out.add(role.roleid);
  }
  return [...out];
}
