// Proxmox VE users and permissions as the simulator keeps them: realms, users (pve realm
// users with passwords), groups, the built-in roles and the ACL, with PVE's rules for
// effective privileges (PVE::AccessControl / RPCEnvironment): root@pam may do anything;
// otherwise the most specific path with an entry for the user or one of its groups
// decides — an entry on a parent counts only when it propagates, and at one path the
// user's own entries win over its groups'.

export interface AclEntry {
  path: string;
  type: 'user' | 'group';
  ugid: string;
  roleid: string;
  propagate: boolean;
}

export interface SimUser {
  userid: string;
  password?: string;
  groups: string[];
  enable: boolean;
  comment?: string;
  firstname?: string;
  lastname?: string;
}

export interface AccessSeed {
  users?: Array<{ userid: string; password?: string; groups?: string[]; comment?: string }>;
  groups?: string[];
  acl?: AclEntry[];
}

const VM_USER = ['VM.Audit', 'VM.Backup', 'VM.Config.CDROM', 'VM.Config.Cloudinit', 'VM.Console', 'VM.PowerMgmt'];
const VM_ADMIN = [...VM_USER, 'VM.Allocate', 'VM.Clone', 'VM.Config.CPU', 'VM.Config.Disk', 'VM.Config.HWType', 'VM.Config.Memory', 'VM.Config.Network', 'VM.Config.Options', 'VM.Migrate', 'VM.Monitor', 'VM.Snapshot', 'VM.Snapshot.Rollback', 'Datastore.AllocateSpace', 'Datastore.Audit'];
const AUDIT = ['Datastore.Audit', 'Pool.Audit', 'SDN.Audit', 'Sys.Audit', 'VM.Audit'];
// every privilege the schema's permission checks name, and those PVE has besides (Permissions.Modify, VM.Backup, VM.Monitor, SDN.Use)
const ALL = [...new Set([...VM_ADMIN, ...AUDIT, 'Datastore.Allocate', 'Datastore.AllocateTemplate', 'Group.Allocate', 'Mapping.Audit', 'Mapping.Modify', 'Mapping.Use', 'Permissions.Modify', 'Pool.Allocate', 'Realm.Allocate', 'Realm.AllocateUser', 'SDN.Allocate', 'SDN.Use', 'Sys.AccessNetwork', 'Sys.Console', 'Sys.Incoming', 'Sys.Modify', 'Sys.PowerMgmt', 'Sys.Syslog', 'User.Modify', 'VM.GuestAgent.Audit', 'VM.GuestAgent.FileRead', 'VM.GuestAgent.FileSystemMgmt', 'VM.GuestAgent.FileWrite', 'VM.GuestAgent.Unrestricted'])].sort();

/** The built-in roles (pveum role list), their privileges as PVE's documentation lists them. */
export const BUILTIN_ROLES: Record<string, string[]> = {
  Administrator: ALL,
  NoAccess: [],
  PVEAdmin: ALL.filter((p) => !['Permissions.Modify', 'Realm.Allocate', 'Sys.PowerMgmt', 'Sys.Modify'].includes(p)),
  PVEAuditor: AUDIT,
  PVEDatastoreAdmin: ['Datastore.Allocate', 'Datastore.AllocateSpace', 'Datastore.AllocateTemplate', 'Datastore.Audit'],
  PVEDatastoreUser: ['Datastore.AllocateSpace', 'Datastore.Audit'],
  PVEPoolAdmin: ['Pool.Allocate', 'Pool.Audit'],
  PVEUserAdmin: ['Group.Allocate', 'Realm.AllocateUser', 'User.Modify'],
  PVEVMAdmin: VM_ADMIN.filter((p) => p.startsWith('VM.')),
  PVEVMUser: VM_USER,
};

export const REALMS = [
  { realm: 'pam', type: 'pam', comment: 'Linux PAM standard authentication' },
  { realm: 'pve', type: 'pve', comment: 'Proxmox VE authentication server' },
];

export class AccessState {
  readonly users = new Map<string, SimUser>();
  readonly groups = new Map<string, { comment?: string }>();
  acl: AclEntry[] = [];

  constructor(readonly superuser: string, seed: AccessSeed = {}) {
    this.users.set(superuser, { userid: superuser, groups: [], enable: true });
    for (const g of seed.groups ?? []) this.groups.set(g, {});
    for (const u of seed.users ?? []) this.users.set(u.userid, { userid: u.userid, password: u.password, groups: u.groups ?? [], enable: true, comment: u.comment });
    this.acl = [...(seed.acl ?? [])];
  }

  /** A pve-realm user with this password (pam users other than root live in the host's /etc/shadow, which the simulator has not). */
  checkPassword(userid: string, password: string): boolean {
    const u = this.users.get(userid);
    return !!u && u.enable && u.password !== undefined && u.password === password && userid.endsWith('@pve');
  }

  /** The privileges the user holds on `path`. */
  privileges(userid: string, path: string): Set<string> {
    if (userid === this.superuser) return new Set(ALL);
    const groups = new Set(this.users.get(userid)?.groups ?? []);
    const chain = ancestors(path);
    for (const p of chain) {
      const exact = p === chain[0];
      const here = this.acl.filter((e) => e.path === p && (exact || e.propagate));
      const own = here.filter((e) => e.type === 'user' && e.ugid === userid);
      const viaGroups = here.filter((e) => e.type === 'group' && groups.has(e.ugid));
      const decisive = own.length ? own : viaGroups;
      if (decisive.length) return new Set(decisive.flatMap((e) => BUILTIN_ROLES[e.roleid] ?? []));
    }
    return new Set();
  }
}

/** `/vms/100` → ['/vms/100', '/vms', '/'] */
export function ancestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const out: string[] = [];
  for (let i = parts.length; i > 0; i--) out.push(`/${parts.slice(0, i).join('/')}`);
  out.push('/');
  return out;
}
