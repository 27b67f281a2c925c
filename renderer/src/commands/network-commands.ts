// New network… on a server, pool, host or network, and Delete network (issue 16): where
// the platform cannot, its facet's note says why on the greyed command.
import { localized } from '../../../shared/descriptor';
import { deleteNetwork } from '../networks/network-requests';
import { storeActions } from '../store/store';
import { disconnectedReason, singleSelectionReason } from './rules';
import { unless, type Command, type CommandContext } from './types';

const PLACES = new Set(['pool', 'host', 'network', 'cluster']);

/** The server a new network would go on: the one selected server, or the server of the one selected pool, host or network. */
function serverOf(ctx: CommandContext): string | null {
  if (ctx.servers.length === 1 && ctx.nodes.length === 0) return ctx.servers[0]!.id;
  const node = ctx.nodes[0];
  return ctx.nodes.length === 1 && node && PLACES.has(node.kind) ? node.serverId : null;
}

function newNetworkReason(ctx: CommandContext): string | null {
  const serverId = serverOf(ctx);
  if (!serverId) return ctx.t('networks.reason.selectPlace');
  const disconnected = disconnectedReason(ctx, ctx.serverById(serverId));
  if (disconnected) return disconnected;
  const facet = ctx.descriptorOf(serverId)?.facets.networks;
  if (facet && facet.create.length > 0) return null;
  return facet?.createNote ? localized(facet.createNote, ctx.language) : ctx.t('networks.reason.noCreate');
}

export const newNetworkCommand: Command = {
  id: 'new-network',
  label: (ctx) => ctx.t('networks.newNetwork'),
  opensDialog: true,
  glyph: 'add',
  canRun: (ctx) => unless(newNetworkReason(ctx)),
  run(ctx) {
    storeActions.openDialog({ kind: 'newNetwork', serverId: serverOf(ctx)! });
  },
};

function deleteReason(ctx: CommandContext): string | null {
  const single = singleSelectionReason(ctx);
  if (single) return single;
  const node = ctx.nodes[0];
  if (!node || node.kind !== 'network') return ctx.t('networks.reason.selectNetwork');
  const disconnected = disconnectedReason(ctx, ctx.serverById(node.serverId));
  if (disconnected) return disconnected;
  const facet = ctx.descriptorOf(node.serverId)?.facets.networks;
  if (facet?.delete) return null;
  return facet?.deleteNote ? localized(facet.deleteNote, ctx.language) : ctx.t('networks.reason.noDelete');
}

export const deleteNetworkCommand: Command = {
  id: 'delete-network',
  label: (ctx) => ctx.t('networks.deleteNetwork'),
  opensDialog: true,
  glyph: 'remove',
  canRun: (ctx) => unless(deleteReason(ctx)),
  confirm: (ctx) => ({
    title: ctx.t('networks.deleteTitle'),
    message: ctx.t('networks.deleteMessage', { network: ctx.nodes[0]!.name }),
    confirmLabel: ctx.t('networks.deleteNetwork'),
    danger: true,
    targets: [ctx.nodes[0]!.name],
  }),
  async run(ctx) {
    await deleteNetwork(ctx.nodes[0]!.id);
  },
};
