// Users and permissions on vSphere: the AuthorizationManager's roles (roleList) and
// permissions (RetrieveAllPermissions), a principal given a role on the root folder
// (SetEntityPermissions with the folder's whole list: real servers merge it, vcsim 0.24
// replaces the list with it, so both end the same) or taken off (RemoveEntityPermission),
// principals found with the UserDirectory (RetrieveUserGroups). What the session may do
// is HasPrivilegeOnEntities on the root folder for each privilege an operation needs —
// vcsim 0.24 answers every privilege granted and enforces none, so against it nothing is greyed.

import type { AccessOperation, AccessOverview, AccessRole, AccessSubject, SessionAccess } from '../../../../shared/access';
import { PolyvisorError } from '../../../../shared/errors';
import type { ProviderAccess } from '../provider-access';
import { retrieveOne } from './property-collector';
import type { ServiceContent } from './soap-answer';
import type { VimClient } from './vim-client';
import { child, children, childText, el, moRef, readBool, readMoRef, readNumber, text, type ManagedObjectReference, type XmlNode } from './xml';

/** The vSphere privilege each operation needs (vSphere's privilege reference). */
const NEEDS: Record<AccessOperation, string> = {
  start: 'VirtualMachine.Interact.PowerOn',
  shutdown: 'VirtualMachine.Interact.PowerOff',
  force_shutdown: 'VirtualMachine.Interact.PowerOff',
  reboot: 'VirtualMachine.Interact.Reset',
  force_reboot: 'VirtualMachine.Interact.Reset',
  suspend: 'VirtualMachine.Interact.Suspend',
  resume: 'VirtualMachine.Interact.PowerOn',
  pause: 'VirtualMachine.Interact.Suspend',
  unpause: 'VirtualMachine.Interact.PowerOn',
  snapshot_create: 'VirtualMachine.State.CreateSnapshot',
  snapshot_revert: 'VirtualMachine.State.RevertToSnapshot',
  snapshot_delete: 'VirtualMachine.State.RemoveSnapshot',
  snapshot_edit: 'VirtualMachine.State.RenameSnapshot',
  snapshot_clone: 'VirtualMachine.Provisioning.Clone',
  snapshot_template: 'VirtualMachine.Provisioning.CreateTemplateFromVM',
  clone: 'VirtualMachine.Provisioning.Clone',
  to_template: 'VirtualMachine.Provisioning.MarkAsTemplate',
  to_vm: 'VirtualMachine.Provisioning.MarkAsVM',
  destroy: 'VirtualMachine.Inventory.Delete',
  migrate: 'Resource.HotMigrate',
  maintenance_enter: 'Host.Config.Maintenance',
  maintenance_exit: 'Host.Config.Maintenance',
  evacuate: 'Resource.HotMigrate',
  host_reboot: 'Host.Config.Maintenance',
  host_shutdown: 'Host.Config.Maintenance',
  host_power_on: 'Host.Config.Maintenance',
  pool_join: 'Host.Inventory.AddHostToCluster',
  pool_eject: 'Host.Inventory.RemoveHostFromCluster',
  access_manage: 'Authorization.ModifyPermissions',
  guest_create: 'VirtualMachine.Inventory.Create',
  guest_configure: 'VirtualMachine.Config.Settings',
  storage_rescan: 'Datastore.Browse',
  disk_move: 'Resource.ColdMigrate',
  policy_manage: 'VirtualMachine.State.CreateSnapshot',
};

/** A method's returnval: one element, or several (the XML reader gives an array then). */
const items = (node: XmlNode | undefined): XmlNode[] => (node === undefined ? [] : Array.isArray(node) ? (node as XmlNode[]) : [node]);

interface Permission { entity: ManagedObjectReference; principal: string; group: boolean; roleId: number; propagate: boolean }
interface Role { roleId: number; name: string; label: string; summary: string }

export interface VsphereAccessDeps {
  session(): { client: VimClient; content: ServiceContent & { authorizationManager?: ManagedObjectReference; userDirectory?: ManagedObjectReference } };
  user(): string;
}

export class VsphereAccess implements ProviderAccess {
  private current: SessionAccess | undefined;

  constructor(private readonly deps: VsphereAccessDeps) {}

  session(): SessionAccess | undefined {
    return this.current;
  }

  /** At each login (the session is not the provider's yet while it opens). */
  async load(at: ReturnType<VsphereAccessDeps['session']> = this.deps.session()): Promise<void> {
    const { client, content } = at;
    const auth = content.authorizationManager;
    if (!auth) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'This server has no AuthorizationManager.' });
    const sessionKey = childText((await retrieveOne(client, content.sessionManager, ['currentSession']))?.get('currentSession'), 'key')?.trim();
    const privs = [...new Set(Object.values(NEEDS))];
    const answer = await client.call('HasPrivilegeOnEntities', auth, [moRef('entity', content.rootFolder), el('sessionId', sessionKey ?? ''), ...privs.map((p) => el('privId', p))]);
    const granted = new Set(children(items(answer)[0], 'privAvailability').filter((p) => readBool(child(p, 'isGranted'))).map((p) => childText(p, 'privId')?.trim() ?? ''));
    const denied: SessionAccess['denied'] = {};
    for (const [op, priv] of Object.entries(NEEDS) as Array<[AccessOperation, string]>) if (!granted.has(priv)) denied[op] = priv;
    const [permissions, roles] = await Promise.all([this.permissions(at), this.roles(at)]);
    const user = this.deps.user();
    const mine = permissions.filter((p) => !p.group && p.principal.toLowerCase() === user.toLowerCase());
    this.current = { user, superuser: false, roles: [...new Set(mine.map((p) => roleName(roles, p.roleId)))], permissions: [...granted], denied };
  }

  async overview(): Promise<Omit<AccessOverview, 'serverId'>> {
    const [permissions, roles] = await Promise.all([this.permissions(), this.roles()]);
    await this.load();
    const root = this.deps.session().content.rootFolder.value;
    const byPrincipal = new Map<string, AccessSubject>();
    for (const p of permissions) {
      const id = `${p.group ? 'group' : 'user'}:${p.principal}`;
      const subject = byPrincipal.get(id) ?? { id, identifier: p.principal, name: p.principal, kind: p.group ? 'group' : 'user', roles: [], loggedIn: false };
      subject.roles.push(p.entity.value === root ? roleName(roles, p.roleId) : `${roleName(roles, p.roleId)} (${p.entity.type} ${p.entity.value})`);
      byPrincipal.set(id, subject);
    }
    // View (-3) and Anonymous (-4) are system roles no principal is given
    const offered: AccessRole[] = roles.filter((r) => r.roleId !== -3 && r.roleId !== -4).map((r) => ({ name: r.name, description: r.summary || r.label }));
    return { directory: null, subjects: [...byPrincipal.values()], roles: offered, session: this.current! };
  }

  joinDomain(): Promise<void> {
    return Promise.reject(new PolyvisorError({ code: 'UNSUPPORTED', message: 'vCenter joins a directory as an identity source of its single sign-on, not through the vSphere API.' }));
  }

  leaveDomain(): Promise<void> {
    return this.joinDomain();
  }

  /** A principal the UserDirectory knows, given the role on the root folder. */
  async addSubject(name: string, role: string): Promise<void> {
    const found = await this.findPrincipal(name);
    await this.setOnRoot(found.principal, found.group, role);
  }

  async setRole(subjectId: string, role: string): Promise<void> {
    const [group, principal] = splitSubject(subjectId);
    await this.setOnRoot(principal, group, role);
  }

  async removeSubject(subjectId: string): Promise<void> {
    const [group, principal] = splitSubject(subjectId);
    const { client } = this.deps.session();
    for (const p of (await this.permissions()).filter((x) => x.principal === principal && x.group === group)) {
      await client.call('RemoveEntityPermission', this.authorizationManager(), [moRef('entity', p.entity), el('user', principal), el('isGroup', group)]);
    }
  }

  logout(): Promise<void> {
    return Promise.reject(new PolyvisorError({ code: 'UNSUPPORTED', message: 'Polyvisor does not end other users’ vSphere sessions.' }));
  }

  private async setOnRoot(principal: string, group: boolean, roleNameWanted: string): Promise<void> {
    const { client, content } = this.deps.session();
    const role = (await this.roles()).find((r) => r.name === roleNameWanted);
    if (!role) throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'role', message: `The server has no role ${JSON.stringify(roleNameWanted)}.` });
    const root = content.rootFolder;
    const others = (await this.permissions()).filter((p) => p.entity.value === root.value && !(p.principal === principal && p.group === group));
    const list = [...others, { entity: root, principal, group, roleId: role.roleId, propagate: true }];
    await client.call('SetEntityPermissions', this.authorizationManager(), [moRef('entity', root), ...list.map((p) => permissionXml(p))]);
  }

  private async findPrincipal(name: string): Promise<{ principal: string; group: boolean }> {
    const { client, content } = this.deps.session();
    if (!content.userDirectory) return { principal: name, group: false };
    const answer = await client.call('RetrieveUserGroups', content.userDirectory, [el('searchStr', name), el('exactMatch', true), el('findUsers', true), el('findGroups', true)]);
    const hit = items(answer)[0];
    if (!hit) throw new PolyvisorError({ code: 'NOT_FOUND', field: 'name', message: `The server's user directory knows no user or group ${JSON.stringify(name)}.` });
    return { principal: childText(hit, 'principal')?.trim() ?? name, group: readBool(child(hit, 'group')) ?? false };
  }

  private authorizationManager(): ManagedObjectReference {
    const auth = this.deps.session().content.authorizationManager;
    if (!auth) throw new PolyvisorError({ code: 'UNSUPPORTED', message: 'This server has no AuthorizationManager.' });
    return auth;
  }

  private async permissions(at = this.deps.session()): Promise<Permission[]> {
    const answer = await at.client.call('RetrieveAllPermissions', at.content.authorizationManager ?? this.authorizationManager(), []);
    return items(answer).map(readPermission);
  }

  private async roles(at = this.deps.session()): Promise<Role[]> {
    const props = await retrieveOne(at.client, at.content.authorizationManager ?? this.authorizationManager(), ['roleList']);
    const list = props?.get('roleList');
    return children(list, 'AuthorizationRole').map((r) => ({
      roleId: readNumber(child(r, 'roleId')) ?? 0,
      name: childText(r, 'name')?.trim() ?? '',
      label: childText(child(r, 'info'), 'label')?.trim() ?? '',
      summary: childText(child(r, 'info'), 'summary')?.trim() ?? '',
    }));
  }
}

function readPermission(p: XmlNode): Permission {
  return {
    entity: readMoRef(child(p, 'entity')) ?? { type: 'Folder', value: '' },
    principal: text(child(p, 'principal'))?.trim() ?? '',
    group: readBool(child(p, 'group')) ?? false,
    roleId: readNumber(child(p, 'roleId')) ?? 0,
    propagate: readBool(child(p, 'propagate')) ?? true,
  };
}

function permissionXml(p: Permission) {
  return el('permission', [moRef('entity', p.entity), el('principal', p.principal), el('group', p.group), el('roleId', p.roleId), el('propagate', p.propagate)]);
}

function roleName(roles: Role[], id: number): string {
  return roles.find((r) => r.roleId === id)?.name ?? String(id);
}

function splitSubject(subjectId: string): [boolean, string] {
  const colon = subjectId.indexOf(':');
  const kind = subjectId.slice(0, colon);
  if (kind !== 'user' && kind !== 'group') throw new PolyvisorError({ code: 'INVALID_INPUT', field: 'subjectId', message: `Not a user or group of this server: ${subjectId}` });
  return [kind === 'group', subjectId.slice(colon + 1)];
}
