// Users and access (issue 16): who may do what on each server — the directory a server
// is joined to, its users and groups (subjects) and their roles, and what the logged-in
// user's own session may do. XAPI: external authentication, subjects, RBAC roles;
// Proxmox VE: realms, users, groups, ACLs; vSphere: AuthorizationManager roles and
// permissions. The descriptor's `access` facet says which parts a platform has.

import type { ActionName } from './model';
import type { LocalizedText } from './descriptor';

/** Operations beyond inventory actions that a role may lack (checked like actions in the renderer). */
export type AccessOperation =
  | ActionName
  /** add, change and remove users and groups; join and leave a domain */
  | 'access_manage'
  /** make a new guest */
  | 'guest_create'
  /** change a guest's settings */
  | 'guest_configure'
  | 'storage_rescan'
  | 'disk_move'
  /** snapshot policies the server runs (XAPI VMSS) */
  | 'policy_manage';

/** What the logged-in user's session may do on one server. */
export interface SessionAccess {
  /** the user as the server knows the login (root, CORP\alice, alice@pve) */
  user: string;
  /** the local superuser / administrator: may do anything */
  superuser: boolean;
  /** the roles the session has (XAPI: its subject's roles; pool-admin for the local superuser) */
  roles: string[];
  /** the server's own permission names the session holds (XAPI: session.get_rbac_permissions); empty for a superuser */
  permissions: string[];
  /** operations the session may not run, each with the server's permission it lacks */
  denied: Partial<Record<AccessOperation, string>>;
  /** where an object's own answer differs (Proxmox: an ACL entry on one VM): its inventory id → its denials, in place of `denied` */
  deniedOn?: Record<string, Partial<Record<AccessOperation, string>>>;
}

/** A user or group that may log in (XAPI subject). */
export interface AccessSubject {
  /** the provider's reference (subject ref) */
  id: string;
  /** the directory's identifier (SID) */
  identifier: string;
  /** DOMAIN\name as the directory spells it */
  name: string;
  kind: 'user' | 'group';
  displayName?: string;
  roles: string[];
  /** a session of this user is open now (XAPI session.get_all_subject_identifiers) */
  loggedIn: boolean;
  /** the directory says the account is disabled, locked or expired */
  accountProblem?: 'disabled' | 'locked' | 'expired';
}

export interface AccessRole {
  name: string;
  description: string;
}

/** What a server's Users tab shows. */
export interface AccessOverview {
  serverId: string;
  /** the directory the server is joined to; null when none (only local logins) */
  directory: { type: string; domain: string; joinedAs?: string } | null;
  subjects: AccessSubject[];
  /** the roles a subject can be given, highest first */
  roles: AccessRole[];
  session: SessionAccess;
}

/** Joining a domain: the password goes to the server once and is never kept. */
export interface DomainJoin {
  domain: string;
  user: string;
  password: string;
}

/** The descriptor facet: which parts of users and access the platform has (absent = none). */
export interface AccessFacet {
  /** the server can be joined to a directory (XAPI Active Directory) */
  domainJoin: boolean;
  /** users and groups of a directory can be given roles */
  subjects: boolean;
  /** roles come fixed with the platform (XAPI RBAC) rather than made by the user */
  fixedRoles: boolean;
  /** permissions per object path (Proxmox ACLs, vSphere entity permissions) */
  acls: boolean;
  /** API tokens (Proxmox) */
  tokens: boolean;
  /** the server can end a user's sessions */
  logoutSessions: boolean;
  /** how a directory user types the login (CORP\user) */
  loginHint?: LocalizedText;
}

/** Why the session may not run `operation` (on the node with this inventory id); null when it may (or the server does not say). */
export function deniedPermission(access: SessionAccess | undefined, operation: AccessOperation, nodeId?: string): string | null {
  if (!access || access.superuser) return null;
  const denied = (nodeId !== undefined ? access.deniedOn?.[nodeId] : undefined) ?? access.denied;
  return denied[operation] ?? null;
}
