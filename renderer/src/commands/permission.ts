// Commands outside the logged-in user's role are greyed with the reason (issue 16), as
// XenCenter's CheckRbacPermissions does, instead of letting the server refuse: the server
// view carries the operations the session may not run and the permission each lacks.
import { deniedPermission, type AccessOperation } from '../../../shared/access';
import type { CommandContext } from './types';

/** "Your role vm-operator does not allow …" (on the node with this id, where the server answers per object); null when the session may. */
export function permissionReason(ctx: CommandContext, serverId: string, operation: AccessOperation, what: string, nodeId?: string): string | null {
  const access = ctx.serverById(serverId)?.access;
  const permission = deniedPermission(access, operation, nodeId);
  if (!permission) return null;
  const roles = access!.roles.join(', ');
  return roles
    ? ctx.t('reason.roleDenies', { role: roles, action: what, permission })
    : ctx.t('reason.noRoleAllows', { action: what, permission });
}
