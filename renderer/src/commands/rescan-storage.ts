// Rescan a storage (XAPI SR.scan, vSphere RefreshDatastore): the server looks at it
// again. Where the platform has no rescan its facet says why, on the greyed command.
import { localized } from '../../../shared/descriptor';
import { rescanStorage } from '../storage/storage-requests';
import { disconnectedReason, singleSelectionReason } from './rules';
import { permissionReason } from './permission';
import { unless, type Command, type CommandContext } from './types';

const STORAGE_KINDS = new Set(['storage', 'volume']);

function rescanReason(ctx: CommandContext): string | null {
  const single = singleSelectionReason(ctx);
  if (single) return single;
  const node = ctx.nodes[0];
  if (!node || !STORAGE_KINDS.has(node.kind)) return ctx.t('storage.reason.selectStorage');
  const disconnected = disconnectedReason(ctx, ctx.serverById(node.serverId));
  if (disconnected) return disconnected;
  const facet = ctx.descriptorOf(node.serverId)?.facets.storage;
  if (facet?.rescan) return permissionReason(ctx, node.serverId, 'storage_rescan', ctx.t('storage.rescan'));
  return facet?.rescanNote ? localized(facet.rescanNote, ctx.language) : ctx.t('storage.reason.noRescan');
}

export const rescanStorageCommand: Command = {
  id: 'rescan-storage',
  label: (ctx) => ctx.t('storage.rescan'),
  glyph: 'refresh',
  canRun: (ctx) => unless(rescanReason(ctx)),
  async run(ctx) {
    await rescanStorage(ctx.nodes[0]!.id);
  },
};
