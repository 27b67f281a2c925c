// xapi's static RBAC roles and their enforcement. A role's permissions are the
// messages whose data-model `roles` list names it, lower-cased `class.message` as
// xapi's generated rbac_static has them (rbac.ml: "all permissions are in lowercase").
// The local superuser (root) may call anything; any other session carries the
// permissions it got at login and a call outside them is RBAC_PERMISSION_DENIED
// [permission, "No permission in user session. (Roles with this permission: …)"].
import type { SimCore } from './core';
import { XapiFailure } from './failure';
import type { XapiModel } from './model';

/** The roles a pool offers, highest first (client-cert is xapi's internal role). */
export const STATIC_ROLES = [
  { name: 'pool-admin', description: 'The Pool Administrator role has full access to all features and settings, including accessing Dom0 and managing subjects, roles and external authentication', internal: false },
  { name: 'pool-operator', description: 'The Pool Operator role manages host- and pool-wide resources, including setting up storage, creating resource pools and managing patches, high availability (HA) and workload balancing (WLB)', internal: false },
  { name: 'vm-power-admin', description: 'The VM Power Administrator role has full access to VM and template management and can choose where to start VMs and use the dynamic memory control and VM snapshot features', internal: false },
  { name: 'vm-admin', description: 'The VM Administrator role can manage VMs and templates', internal: false },
  { name: 'vm-operator', description: 'The VM Operator role can use VMs and interact with VM consoles', internal: false },
  { name: 'read-only', description: 'The Read-Only role can log in with basic read-only access', internal: false },
  { name: 'client-cert', description: 'Role assigned to clients that authenticate with a client certificate', internal: true },
] as const;

/** xapi's fixed reference of the pool-admin role (Xapi_globs.rbac_pool_admin_uuid); the others are fixed here alike. */
const ROLE_UUIDS: Record<string, string> = {
  'pool-admin': '0165f154-ba3e-034e-6b27-5d271af109ba',
  'pool-operator': '7233b8e3-eacb-d7da-2c95-f2e581cdbf4d',
  'vm-power-admin': '7955168d-7bec-10ed-105f-c6a7e6e63249',
  'vm-admin': 'aaa00ab5-7340-bfbc-0d1b-7cf342639a6e',
  'vm-operator': 'fbb8c0c3-9c30-4e05-a1cb-0d7a5e1b3c40',
  'read-only': '7e4f1a0b-2c83-4bfc-9a73-13c6b8a6e6d2',
  'client-cert': '5f4a3c2b-7f86-4c22-9fd6-0e4a8e0c7d11',
};

export function roleRef(name: string): string {
  return `OpaqueRef:${ROLE_UUIDS[name]}`;
}

const permissionCache = new WeakMap<XapiModel, Map<string, string[]>>();

/** Every permission of the role, from the data model's per-message roles. */
export function rolePermissions(model: XapiModel, role: string): string[] {
  let byRole = permissionCache.get(model);
  if (!byRole) permissionCache.set(model, (byRole = new Map()));
  let list = byRole.get(role);
  if (!list) {
    list = [];
    for (const c of model.classes.values()) for (const m of c.messages.values()) if (m.roles?.includes(role)) list.push(`${c.name}.${m.name}`.toLowerCase());
    byRole.set(role, list);
  }
  return list;
}

/** The static roles as records of the role class (their permissions are answered by role.get_permissions*). */
export function seedRoles(core: SimCore): void {
  for (const role of STATIC_ROLES) {
    if (core.db.get('role', roleRef(role.name))) continue;
    core.db.add('role', { uuid: ROLE_UUIDS[role.name], name_label: role.name, name_description: role.description, subroles: [], is_internal: role.internal }, { ref: roleRef(role.name), silent: true });
  }
}

/** The call's permission, checked against the session (Rbac.check); login and calls without a session pass. */
export function authorize(core: SimCore, session: string, method: string): void {
  if (!session) return;
  const record = core.db.get('session', session);
  if (!record || record.is_local_superuser) return;
  const permission = method.toLowerCase();
  if ((record.rbac_permissions as string[]).includes(permission)) return;
  const dot = method.indexOf('.');
  const def = core.model.classes.get(method.slice(0, dot))?.messages.get(method.slice(dot + 1));
  if (!def?.roles) return; // a message the data model does not know (system.*): xapi does not guard it
  const allowed = STATIC_ROLES.filter((r) => def.roles!.includes(r.name)).map((r) => r.name).join(', ');
  throw new XapiFailure('RBAC_PERMISSION_DENIED', permission, `No permission in user session. (Roles with this permission: ${allowed})`);
}
