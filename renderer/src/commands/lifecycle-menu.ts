// The context-menu items of issue 14 by the kind of selection: a guest's clone, convert
// and delete; a template's; a compose project's removal; an engine's images and volumes.
import type { CommandContext } from './types';

/** A VM's or container's lifecycle commands, after its snapshots (as in XenCenter's VM menu). */
export const GUEST_LIFECYCLE: readonly string[] = ['clone-guest', 'to-template', 'delete-guest'];

/** The engine's image commands, where the selected server's platform has images. */
export function engineItems(ctx: CommandContext): string[] {
  const serverIds = new Set([...ctx.servers.map((s) => s.id), ...ctx.nodes.map((n) => n.serverId)]);
  const images = [...serverIds].some((id) => ctx.descriptorOf(id)?.facets.guests?.images);
  return images ? ['pull-image', 'prune-images', 'prune-volumes'] : [];
}

/** Items for a selection of templates, projects, images, volumes or engines (the context menu's last branch). */
export function lifecycleItems(ctx: CommandContext, kinds: ReadonlySet<string>): string[] {
  const only = (kind: string) => kinds.size === 1 && kinds.has(kind);
  return [
    ...(only('template') ? ['clone-guest', 'to-vm', '|', 'delete-guest'] : []),
    ...(only('project') ? ['remove-project'] : []),
    ...([...kinds].every((k) => k === 'image' || k === 'volume') ? ['remove-image'] : []),
    '|',
    ...([...kinds].every((k) => k === 'host' || k === 'image' || k === 'volume') ? engineItems(ctx) : []),
  ];
}
