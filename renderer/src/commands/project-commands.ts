// Compose projects: Start/Stop/Restart come from the power commands (a project's
// `allowed`, in the platform's words); Remove takes the project's containers away,
// asked first with each project's containers named. Their named volumes stay.
import type { InventoryNode, NodeKind } from '../../../shared/model';
import { destroyNodesCommand } from './image-commands';
import type { CommandContext } from './types';

function containersOf(ctx: CommandContext, project: InventoryNode): string {
  const names = (ctx.state.index.children.get(project.id) ?? [])
    .map((id) => ctx.state.index.nodes.get(id))
    .filter((n): n is InventoryNode => n?.kind === 'container')
    .map((n) => n.name);
  return names.length ? names.join(', ') : ctx.t('images.noContainers');
}

export const removeProjectCommand = destroyNodesCommand({
  id: 'remove-project',
  kinds: new Set<NodeKind>(['project']),
  label: (ctx) => ctx.t('images.removeProject'),
  selectKey: 'images.reason.selectProject',
  messageKey: 'images.confirmRemoveProject',
  detail: containersOf,
  // as `compose rm`: the containers go, their named volumes stay
  params: { keepDisks: true },
});
