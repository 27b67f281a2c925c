// New VM… (toolbar, the server/pool/host context menu, the VM menu) and "New VM from
// this template" (a template's context menu): the wizard, on the selected object's
// server where there is one. Where that server's platform makes no VMs here, it says so.
import { localized } from '../../../shared/descriptor';
import type { InventoryNode } from '../../../shared/model';
import { storeActions } from '../store/store';
import { disconnectedReason } from './rules';
import { permissionReason } from './permission';
import { serverTargets } from './server-targets';
import { CAN_RUN, cannot, type CanRun, type Command, type CommandContext } from './types';

/** Why the wizard cannot make a guest on this server now; null when it can. */
export function createReason(ctx: CommandContext, serverId: string): string | null {
  const server = ctx.serverById(serverId);
  const descriptor = ctx.descriptorOf(serverId);
  if (server && descriptor && !descriptor.facets.guests?.create) {
    return ctx.t('guests.reason.platformCannot', { platform: localized(descriptor.displayName, ctx.language) });
  }
  return disconnectedReason(ctx, server) ?? permissionReason(ctx, serverId, 'guest_create', ctx.t('guests.command.newVm'));
}

function selectedServerId(ctx: CommandContext): string | null {
  const servers = serverTargets(ctx);
  return servers.length === 1 ? servers[0].id : null;
}

export const newVmCommand: Command = {
  id: 'new-vm',
  label: (ctx) => ctx.t('guests.command.newVm'),
  opensDialog: true,
  glyph: 'add',
  canRun(ctx): CanRun {
    const serverId = selectedServerId(ctx);
    if (serverId) {
      const reason = createReason(ctx, serverId);
      return reason ? cannot(reason) : CAN_RUN;
    }
    return ctx.state.servers.some((s) => createReason(ctx, s.id) === null) ? CAN_RUN : cannot(ctx.t('guests.reason.noServer'));
  },
  run(ctx) {
    const serverId = selectedServerId(ctx);
    storeActions.openDialog({ kind: 'newVm', ...(serverId && createReason(ctx, serverId) === null ? { serverId } : {}) });
  },
};

function template(ctx: CommandContext): InventoryNode | null {
  return ctx.servers.length === 0 && ctx.nodes.length === 1 && ctx.nodes[0].kind === 'template' ? ctx.nodes[0] : null;
}

export const newVmFromTemplateCommand: Command = {
  id: 'new-vm-from-template',
  label: (ctx) => ctx.t('guests.command.newVmFromTemplate'),
  opensDialog: true,
  glyph: 'add',
  canRun(ctx) {
    const node = template(ctx);
    if (!node) return cannot(ctx.t('guests.reason.selectTemplate'));
    const reason = createReason(ctx, node.serverId);
    return reason ? cannot(reason) : CAN_RUN;
  },
  run(ctx) {
    const node = template(ctx);
    if (node) storeActions.openDialog({ kind: 'newVm', serverId: node.serverId, templateNodeId: node.id });
  },
};
