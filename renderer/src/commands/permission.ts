// Commands outside the logged-in user's role are greyed with the reason (issue 16), as
// XenCenter's CheckRbacPermissions does, instead of letting the server refuse: the server
// view carries the operations the session may not run and the permission each lacks.
import { deniedPermission, type AccessOperation } from '../../../shared/access';
import type { CommandContext } from './types';

/** "Your role vm-operator does not allow …"; null when the session may (or the server does not say). */
export function permissionReason(ctx: CommandContext, serverId: string, operation: AccessOperation, what: string): string | null {
  const access = ctx.serverById(serverId)?.access;
  const permission = deniedPermission(access, operation);
  if (!permission) return null;
  const roles = access!.roles.join(', ');
  return roles
    ? ctx.t('reason.roleDenies', { role: roles, action: what, permission })
    : ctx.t('reason.noRoleAllows', { action: what, permission });
}
